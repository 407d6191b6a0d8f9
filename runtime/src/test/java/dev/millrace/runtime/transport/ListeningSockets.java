package dev.millrace.runtime.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, as the kernel shows them: the socket inodes among the
 * process's open files ({@code /proc/<pid>/fd}) matched with the listening sockets of {@code
 * /proc/net/tcp} and {@code /proc/net/tcp6}. Linux only.
 */
public final class ListeningSockets {
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** The local addresses process {@code pid} listens on. */
  public static List<InetSocketAddress> of(long pid) {
    Set<String> inodes = socketInodes(pid);
    Map<String, InetSocketAddress> listening = new HashMap<>();
    listening.putAll(listening(Path.of("/proc/net/tcp")));
    listening.putAll(listening(Path.of("/proc/net/tcp6")));
    List<InetSocketAddress> mine = new ArrayList<>();
    for (String inode : inodes) {
      InetSocketAddress address = listening.get(inode);
      if (address != null) {
        mine.add(address);
      }
    }
    return mine;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (NoSuchFileException e) {
          // closed while listing
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the open files of process " + pid, e);
    }
    return inodes;
  }

  /** Listening sockets by inode: {@code sl local_address rem_address st … inode …}. */
  private static Map<String, InetSocketAddress> listening(Path table) {
    Map<String, InetSocketAddress> byInode = new HashMap<>();
    try {
      List<String> lines = Files.readAllLines(table);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields[3].equals(LISTEN)) {
          byInode.put(fields[9], address(fields[1]));
        }
      }
    } catch (NoSuchFileException e) {
      return byInode; // no IPv6
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byInode;
  }

  /** {@code 0100007F:1F90} (IPv4) or 32 hex digits and a port: 32-bit words in host order. */
  private static InetSocketAddress address(String field) {
    String[] parts = field.split(":");
    String hex = parts[0];
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(parts[1], 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address: " + field, e);
    }
  }
}
