#!/usr/bin/env python3
# Writes dashboards/millrace-apps.json, the Grafana dashboard the chart ships (appMonitoring.grafanaDashboard).
# Run from helm/millrace-operator after changing a panel: python3 dashboards/generate.py
# OperatorChartTest checks that every metric it asks for is one a driver or executor registers.
import json
ds={"type":"prometheus","uid":"${datasource}"}
def ts(id, title, exprs, unit, x, y, w=12, h=8, desc=""):
    return {"id":id,"type":"timeseries","title":title,"description":desc,"datasource":ds,
      "gridPos":{"x":x,"y":y,"w":w,"h":h},
      "fieldConfig":{"defaults":{"unit":unit},"overrides":[]},
      "options":{"legend":{"displayMode":"list","placement":"bottom"},"tooltip":{"mode":"multi"}},
      "targets":[{"refId":chr(65+i),"datasource":ds,"expr":e,"legendFormat":l} for i,(e,l) in enumerate(exprs)]}
A='app=~"$app"'
R='[$__rate_interval]'
def sel(extra=""):
    return "{" + A + (", " + extra if extra else "") + "}"
def q(metric,p): return 'histogram_quantile(%s, sum by (le, app) (rate(%s_bucket%s%s)))' % (p, metric, sel(), R)
panels=[
 ts(1,"Processing time per batch",[(q("millrace_batch_processing_seconds",0.5),"{{app}} p50"),(q("millrace_batch_processing_seconds",0.99),"{{app}} p99")],"s",0,0,desc="Keep it under the batch interval, or batches queue up."),
 ts(2,"Scheduling delay",[(q("millrace_batch_scheduling_delay_seconds",0.99),"{{app}} p99")],"s",12,0,desc="Time batches waited for the ones before them; growing means falling behind."),
 ts(3,"Total delay (planned to output committed)",[(q("millrace_batch_total_delay_seconds",0.5),"{{app}} p50"),(q("millrace_batch_total_delay_seconds",0.99),"{{app}} p99")],"s",0,8),
 ts(4,"Batches waiting",[("max by (app) (millrace_batches_waiting%s)" % sel(),"{{app}}")],"short",12,8,desc="Above 0 for minutes: the app cannot keep up."),
 ts(5,"Input records per second",[("sum by (app, input) (rate(millrace_input_records_total%s%s))" % (sel(),R),"{{app}} {{input}}")],"rps",0,16),
 ts(6,"Input lag (records not planned yet)",[("sum by (app, input) (millrace_input_lag_records%s)" % sel(),"{{app}} {{input}}")],"short",12,16,desc="A Kafka input's lag, summed over its partitions."),
 ts(7,"Inputs in an outage",[("max by (app, input) (millrace_input_outage%s)" % sel(),"{{app}} {{input}}")],"short",0,24,desc="1 while an input cannot deliver."),
 ts(8,"Seconds since the last completed batch",[("time() - max by (app) (millrace_last_completed_batch_time_seconds%s)" % sel(),"{{app}}")],"s",12,24),
 ts(9,"Executors registered",[("max by (app) (millrace_executors_registered%s)" % sel(),"{{app}}")],"short",0,32),
 ts(10,"Executor tasks per second",[("sum by (app, kind, outcome) (rate(millrace_tasks_total%s%s))" % (sel(),R),"{{app}} {{kind}} {{outcome}}")],"ops",12,32),
 ts(11,"Shuffle bytes written per second",[("sum by (app) (rate(millrace_shuffle_written_bytes_total%s%s))" % (sel(),R),"{{app}}")],"Bps",0,40),
 ts(13,"Checkpoint write time",[(q("millrace_checkpoint_seconds",0.99),"{{app}} p99")],"s",0,48,desc="Long writes hold the batch that checkpoints."),
 ts(14,"State records in the last checkpoint",[("sum by (app, stream) (millrace_state_records%s)" % sel(),"{{app}} {{stream}}")],"short",12,48),
 ts(15,"Executors lost and tasks retried per second",[("sum by (app) (rate(millrace_executors_lost_total%s%s))" % (sel(),R),"{{app}} executors lost"),("sum by (app, reason) (rate(millrace_task_retries_total%s%s))" % (sel(),R),"{{app}} retried: {{reason}}")],"ops",0,56),
 ts(12,"JVM heap used",[("sum by (app, role, executor) (jvm_memory_used_bytes%s)" % sel('area="heap"'),"{{app}} {{role}} {{executor}}")],"bytes",12,40),
]
panels.sort(key=lambda p:(p["gridPos"]["y"],p["gridPos"]["x"]))
dash={"title":"Millrace streaming apps","uid":"millrace-apps","tags":["millrace"],"timezone":"browser",
 "schemaVersion":39,"version":1,"refresh":"30s","time":{"from":"now-1h","to":"now"},
 "templating":{"list":[
   {"name":"datasource","type":"datasource","query":"prometheus","label":"Data source","current":{}},
   {"name":"app","type":"query","datasource":ds,"label":"App","query":{"query":"label_values(millrace_batches_completed_total, app)","refId":"apps"},"definition":"label_values(millrace_batches_completed_total, app)","multi":True,"includeAll":True,"current":{"text":"All","value":"$__all"},"refresh":2,"sort":1}]},
 "panels":panels}
open('dashboards/millrace-apps.json','w').write(json.dumps(dash,indent=2)+"\n")
