package dev.millrace.runtime.ui;

import java.util.List;

/**
 * The frame every page of the UI shares (its head, the header with the application's name and the
 * navigation) around each page's own {@code <main>}: assembled once, when the UI is made, so that
 * the navigation works without a script and a page added later is linked from every other one.
 * Every link is relative, so the UI works behind a path prefix.
 */
final class PageFrame {
  /**
   * One page of the UI.
   *
   * @param name its path below the UI's root, the {@code data-page} its script draws, and its
   *     resource ({@code <name>.html}, the page's {@code <main>})
   * @param title its title, after {@code Millrace ·}
   * @param linked whether the navigation links it (a batch's page needs a batch, so it is opened
   *     from the tables instead)
   */
  record Page(String name, String title, boolean linked) {}

  /** Links the navigation ends with: the JSON status and the Prometheus metrics. */
  private static final String OTHER_LINKS =
      " <a href=\"api/v1/status\">Status (JSON)</a> <a href=\"metrics\">Metrics</a>";

  private final String frame;
  private final List<Page> pages;

  /** The frame {@code frame} (with placeholders), linking {@code pages} in their order. */
  PageFrame(String frame, List<Page> pages) {
    this.frame = frame;
    this.pages = List.copyOf(pages);
  }

  /** The whole HTML of {@code page}, whose {@code <main>} element is {@code main}. */
  String assemble(Page page, String main) {
    return frame
        .replace("{{title}}", page.title())
        .replace("{{page}}", page.name())
        .replace("{{nav}}", nav(page))
        .replace("{{main}}", main);
  }

  private String nav(Page current) {
    StringBuilder nav = new StringBuilder();
    for (Page page : pages) {
      if (!page.linked()) {
        continue;
      }
      if (nav.length() > 0) {
        nav.append(' ');
      }
      // The streaming page is the UI's root: "./" keeps a path prefix, "/" would drop it.
      nav.append("<a href=\"")
          .append(page.name().equals(WebUi.HOME) ? "./" : page.name())
          .append('"')
          .append(page == current ? " aria-current=\"page\"" : "")
          .append('>')
          .append(page.title())
          .append("</a>");
    }
    return nav.append(OTHER_LINKS).toString();
  }
}
