package dev.mnistlab.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistlab.data.io.AtomicFiles;
import dev.mnistlab.experiments.runner.SweepResult;
import dev.mnistlab.experiments.runner.TrialRecord;
import dev.mnistlab.experiments.trial.TrialMedia;
import dev.mnistlab.experiments.trial.TrialSpec;
import dev.mnistlab.models.ModelZoo;
import dev.mnistlab.models.TrainingRecipe;
import dev.mnistlab.tracking.ConfusionMatrix;
import dev.mnistlab.tracking.Image;
import dev.mnistlab.tracking.LocalStore;
import dev.mnistlab.tracking.MetricKeys;
import dev.mnistlab.tracking.Table;
import dev.mnistlab.tracking.TestPrediction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Builds {@value #FILE_NAME}: a self-contained HTML page about one sweep. It shows the results
 * table, loss and accuracy per epoch for every trial, the metric against batch size and epochs, a
 * parallel-coordinates view of the parameters, the best run's confusion matrix and misclassified
 * test images (from the predictions recorded in the local store), and the data pictures.
 *
 * <p>Everything is inline (SVG, PNG data URIs, CSS, JavaScript); the page makes no network request.
 * The parallel-coordinates chart and the sortable table are drawn by the inline script, which marks
 * {@code <body data-rendered="true">} when done.
 */
public final class SweepReport {
  /** The report's file name in the sweep's output folder. */
  public static final String FILE_NAME = "report.html";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SweepReport() {}

  /**
   * Writes the report into the sweep's output folder.
   *
   * @param result the sweep's results (e.g. from {@code ResultsFiles.read})
   * @param store the local store holding the runs' predictions, if available
   * @return the report file
   */
  public static Path write(SweepResult result, Optional<LocalStore> store) throws IOException {
    Path file = result.outputDir().resolve(FILE_NAME);
    AtomicFiles.writeString(file, render(result, store));
    return file;
  }

  static String render(SweepResult result, Optional<LocalStore> store) throws IOException {
    Optional<JsonNode> data = DataSummary.read(result.outputDir());
    List<String> classNames = new ArrayList<>();
    data.ifPresent(d -> d.path("class_names").forEach(n -> classNames.add(n.asText())));
    String metric = result.metric().name();
    Optional<TrialRecord> best = result.best();

    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(Html.escape("mnistlab sweep " + result.sweepName()))
        .append("</title><style>").append(CSS).append("</style></head><body>");
    html.append("<header><h1>Sweep <code>").append(Html.escape(result.sweepName()))
        .append("</code></h1><p>").append(result.trials().size()).append(" trial(s), metric <b>")
        .append(Html.escape(metric)).append("</b> (").append(result.metric().goal().configName())
        .append(")").append(result.interrupted() ? ", <b>interrupted</b>" : "")
        .append(result.failedCount() > 0 ? ", " + result.failedCount() + " failed" : "")
        .append(". Runs are in <code>").append(Html.escape(result.store())).append("</code>.</p>");
    best.ifPresent(b -> html.append("<p class=\"best\">Best: trial ").append(b.index() + 1)
        .append(" (run <code>").append(Html.escape(b.runId())).append("</code>) ")
        .append(Html.escape(metric)).append(" = <b>").append(Svg.tick(b.metric().getAsDouble()))
        .append("</b> with ").append(Html.escape(b.parameters().toString())).append("</p>"));
    html.append("</header>");

    html.append("<section><h2>Results</h2>").append(table(result)).append(recipes(result))
        .append("</section>");

    html.append("<section><h2>Per epoch</h2><div class=\"charts\">");
    html.append(Svg.lineChart("chart-loss", "Validation loss per epoch", "epoch", "loss",
        epochSeries(result, MetricKeys.VAL_LOSS)));
    html.append(Svg.lineChart("chart-train-loss", "Training loss per epoch", "epoch", "loss",
        epochSeries(result, MetricKeys.LOSS)));
    html.append(Svg.lineChart("chart-accuracy", "Validation accuracy per epoch", "epoch",
        "accuracy", epochSeries(result, MetricKeys.VAL_ACCURACY)));
    if (!metric.equals(MetricKeys.VAL_ACCURACY) && !metric.equals(MetricKeys.VAL_LOSS)) {
      html.append(Svg.lineChart("chart-metric", metric + " per epoch", "epoch", metric,
          epochSeries(result, metric)));
    }
    html.append("</div></section>");

    html.append("<section><h2>").append(Html.escape(metric))
        .append(" against batch size and epochs</h2><div class=\"charts\">");
    html.append(Svg.scatter("chart-batch-size", metric + " by batch size", "batch size", metric,
        parameterSeries(result, TrainingRecipe.BATCH_SIZE), true));
    html.append(Svg.scatter("chart-epochs", metric + " by epochs trained", "epochs", metric,
        epochsSeries(result), false));
    html.append("</div></section>");

    html.append("<section><h2>Parameters</h2><p class=\"note\">Each line is a trial; colour"
        + " encodes ").append(Html.escape(metric)).append(" (dark = better).</p>")
        .append("<svg id=\"parallel\" class=\"wide\" viewBox=\"0 0 960 320\"></svg></section>");

    html.append("<section><h2>Best run</h2>");
    if (best.isPresent() && store.isPresent()) {
      html.append(bestRun(best.get(), store.get(), classNames));
    } else {
      html.append("<p class=\"note\">No finished trial with recorded predictions.</p>");
    }
    html.append("</section>");

    html.append("<section><h2>Data</h2>");
    if (data.isPresent()) {
      html.append(dataSection(data.get(), result.outputDir()));
    } else {
      html.append("<p class=\"note\">No data summary was recorded for this sweep.</p>");
    }
    html.append("</section>");

    html.append("<script id=\"sweep-data\" type=\"application/json\">")
        .append(Html.scriptSafe(MAPPER.writeValueAsString(scriptData(result))))
        .append("</script><script>").append(SCRIPT).append("</script>");
    html.append("<footer>Made by mnistlab; self-contained, no network needed.</footer>")
        .append("</body></html>\n");
    return html.toString();
  }

  /**
   * What the table's parameters leave to the models: each model's recipe (schedule, augmentation,
   * epochs, batch size, ...), which every trial starts from before its parameters apply.
   */
  private static String recipes(SweepResult result) {
    Set<String> models = new LinkedHashSet<>();
    for (TrialRecord t : result.trials()) {
      Object model = t.parameters().get(ModelZoo.MODEL);
      models.add(model != null ? model.toString() : TrialSpec.DEFAULT_MODEL);
    }
    StringBuilder html = new StringBuilder("<p class=\"note\" id=\"recipes\">Unset parameters"
        + " come from each model's recipe:");
    for (String model : models) {
      if (!ModelZoo.names().contains(model)) {
        continue;
      }
      html.append("<br><code>").append(Html.escape(model)).append("</code>: ");
      StringJoiner values = new StringJoiner(", ");
      ModelZoo.get(model).recipe().toMap().forEach((k, v) -> values.add(k + " " + v));
      html.append(Html.escape(values.toString()));
    }
    return html.append("</p>").toString();
  }

  private static String table(SweepResult result) {
    Set<String> parameters = new LinkedHashSet<>();
    Set<String> tests = new LinkedHashSet<>();
    for (TrialRecord t : result.trials()) {
      parameters.addAll(t.parameters().keySet());
      tests.addAll(t.testMetrics().keySet());
    }
    StringBuilder html = new StringBuilder("<table id=\"results\" class=\"sortable\"><thead><tr>"
        + "<th>trial</th><th>status</th><th>" + Html.escape(result.metric().name()) + "</th>"
        + "<th>epochs trained</th><th>seconds</th>");
    parameters.forEach(p -> html.append("<th>").append(Html.escape(p)).append("</th>"));
    tests.forEach(p -> html.append("<th>").append(Html.escape(p)).append("</th>"));
    html.append("<th>run</th></tr></thead><tbody>");
    Optional<TrialRecord> best = result.best();
    for (TrialRecord t : result.trials()) {
      boolean isBest = best.isPresent() && best.get().index() == t.index();
      html.append("<tr class=\"").append(t.status().label()).append(isBest ? " best" : "")
          .append("\"><td>").append(t.index() + 1).append("</td><td>")
          .append(t.status().label()).append(t.resumed() ? " (earlier)" : "")
          .append(t.error().map(e -> "<br><small>" + Html.escape(e) + "</small>").orElse(""))
          .append("</td><td>").append(t.metric().isPresent() ? Svg.tick(t.metric().getAsDouble()) : "")
          .append("</td><td>").append(t.epochs()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", t.seconds())).append("</td>");
      for (String p : parameters) {
        Object v = t.parameters().get(p);
        html.append("<td>").append(v == null ? "" : Html.escape(v instanceof Double d
            ? Svg.tick(d) : v.toString())).append("</td>");
      }
      for (String m : tests) {
        Double v = t.testMetrics().get(m);
        html.append("<td>").append(v == null ? "" : Svg.tick(v)).append("</td>");
      }
      html.append("<td><code>").append(Html.escape(t.runId())).append("</code></td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  private static List<Svg.Series> epochSeries(SweepResult result, String key) {
    List<Svg.Series> series = new ArrayList<>();
    for (TrialRecord t : result.trials()) {
      List<double[]> points = new ArrayList<>();
      for (Map<String, Double> epoch : t.history()) {
        Double v = epoch.get(key);
        Double e = epoch.get(MetricKeys.EPOCH);
        if (v != null && e != null) {
          points.add(new double[] {e, v});
        }
      }
      if (!points.isEmpty()) {
        series.add(new Svg.Series("trial " + (t.index() + 1) + " " + t.parameters(), points,
            Svg.color(t.index())));
      }
    }
    return series;
  }

  private static List<Svg.Series> parameterSeries(SweepResult result, String parameter) {
    List<Svg.Series> series = new ArrayList<>();
    for (TrialRecord t : result.trials()) {
      if (t.metric().isPresent() && t.parameters().get(parameter) instanceof Number n) {
        series.add(new Svg.Series("trial " + (t.index() + 1),
            List.<double[]>of(new double[] {n.doubleValue(), t.metric().getAsDouble()}),
            Svg.color(t.index())));
      }
    }
    return series;
  }

  private static List<Svg.Series> epochsSeries(SweepResult result) {
    List<Svg.Series> series = new ArrayList<>();
    for (TrialRecord t : result.trials()) {
      if (t.metric().isPresent() && t.epochs() > 0) {
        series.add(new Svg.Series("trial " + (t.index() + 1),
            List.<double[]>of(new double[] {t.epochs(), t.metric().getAsDouble()}),
            Svg.color(t.index())));
      }
    }
    return series;
  }

  private static String bestRun(TrialRecord best, LocalStore store, List<String> classNames) {
    List<TestPrediction> predictions = store.predictions(best.runId());
    if (predictions.isEmpty()) {
      return "<p class=\"note\">The best run recorded no test predictions.</p>";
    }
    // the same media the run logged to W&B, made by the same code
    List<String> names = TrialMedia.classNames(classNames, predictions);
    ConfusionMatrix matrix = TrialMedia.confusionMatrix(names, predictions);
    int classes = names.size();
    Evaluation evaluation = new Evaluation(names);
    for (TestPrediction p : predictions) {
      evaluation.eval(p.predictedLabel(), p.trueLabel());
    }
    StringBuilder html = new StringBuilder();
    html.append(String.format(Locale.ROOT, "<p>Test accuracy from the %d recorded predictions:"
        + " <b>%.4f</b>, macro F1 %.4f.</p>", predictions.size(), evaluation.accuracy(),
        evaluation.f1()));
    html.append("<h3>Confusion matrix</h3><table id=\"confusion\" class=\"confusion\"><tr>"
        + "<th>true \\ predicted</th>");
    names.forEach(n -> html.append("<th>").append(Html.escape(n)).append("</th>"));
    html.append("</tr>");
    long max = 1;
    for (int a = 0; a < classes; a++) {
      for (int p = 0; p < classes; p++) {
        max = Math.max(max, matrix.count(a, p));
      }
    }
    for (int a = 0; a < classes; a++) {
      html.append("<tr><th>").append(Html.escape(names.get(a))).append("</th>");
      for (int p = 0; p < classes; p++) {
        long count = matrix.count(a, p);
        double shade = Math.sqrt((double) count / max);
        String background = a == p
            ? String.format(Locale.ROOT, "rgba(44,160,44,%.2f)", 0.15 + 0.75 * shade)
            : String.format(Locale.ROOT, "rgba(214,39,40,%.2f)", count == 0 ? 0 : 0.15 + 0.75 * shade);
        html.append("<td style=\"background:").append(background).append("\">").append(count)
            .append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</table><h3>Misclassified test images</h3><div id=\"misclassified\" class=\"digits\">");
    List<Image> wrong = TrialMedia.misclassified(names, predictions, TrialMedia.MAX_MISCLASSIFIED);
    for (Image image : wrong) {
      html.append("<figure><img alt=\"").append(Html.escape(image.caption().orElse("")))
          .append("\" src=\"").append(DigitPictures.dataUri(image.png())).append("\"><figcaption>")
          .append(Html.escape(image.caption().orElse(""))).append("</figcaption></figure>");
    }
    if (wrong.isEmpty()) {
      html.append("<p class=\"note\">None: every recorded prediction is correct.</p>");
    }
    html.append("</div>");
    Table table = TrialMedia.predictionsTable(names, predictions, TrialMedia.DEFAULT_PREDICTION_ROWS);
    html.append("<details><summary>Predictions table (first ").append(table.rows().size())
        .append(" test images)</summary><table id=\"predictions\" class=\"predictions\"><tr>");
    table.columns().forEach(c -> html.append("<th>").append(Html.escape(c)).append("</th>"));
    html.append("</tr>");
    for (List<Object> row : table.rows()) {
      html.append("<tr>");
      for (Object cell : row) {
        html.append("<td>");
        if (cell instanceof Image image) {
          html.append("<img alt=\"\" src=\"").append(DigitPictures.dataUri(image.png())).append("\">");
        } else if (cell instanceof Double d) {
          html.append(String.format(Locale.ROOT, "%.4f", d));
        } else if (cell != null) {
          html.append(Html.escape(String.valueOf(cell)));
        }
        html.append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</table></details>").toString();
  }

  private static String dataSection(JsonNode data, Path outputDir) throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<p>Dataset <b>").append(Html.escape(data.path("name").asText())).append("</b>: ")
        .append(data.path("train").path("count").asInt()).append(" training, ")
        .append(data.path("validation").path("count").asInt()).append(" validation, ")
        .append(data.path("test").path("count").asInt()).append(" test images.</p>");
    DataSummary.picture(outputDir, DataSummary.SAMPLES).ifPresent(uri -> html.append(
        "<figure class=\"samples\"><img id=\"data-samples\" alt=\"random training images with"
            + " their labels\" src=\"").append(Html.escape(uri)).append("\"><figcaption>Random"
            + " training images with their labels</figcaption></figure>"));
    DataSummary.picture(outputDir, DataSummary.LABELS).ifPresent(uri -> html.append(
        "<figure class=\"samples\"><img id=\"data-labels\" alt=\"images per class in each"
            + " split\" src=\"").append(Html.escape(uri)).append("\"></figure>"));
    List<String> names = new ArrayList<>();
    data.path("class_names").forEach(n -> names.add(n.asText()));
    JsonNode counts = data.path("train").path("class_counts");
    int[] values = new int[counts.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = counts.get(i).asInt();
    }
    while (names.size() < values.length) {
      names.add(Integer.toString(names.size()));
    }
    html.append("<div class=\"charts\">").append(Svg.bars("chart-labels",
        "Training images per class", names, values, "#1f77b4")).append("</div>");
    html.append("<details><summary>Checksums (SHA-256)</summary><ul>");
    JsonNode content = data.path("content_checksums"); // absent in data.json of older sweeps
    data.path("checksums").fields().forEachRemaining(e -> {
      html.append("<li><code>").append(Html.escape(e.getKey())).append("</code> file ")
          .append(Html.escape(e.getValue().asText()));
      if (content.has(e.getKey())) {
        html.append(", content ").append(Html.escape(content.get(e.getKey()).asText()));
      }
      html.append("</li>");
    });
    return html.append("</ul></details>").toString();
  }

  private static Map<String, Object> scriptData(SweepResult result) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("metric", result.metric().name());
    data.put("goal", result.metric().goal().configName());
    List<Map<String, Object>> trials = new ArrayList<>();
    for (TrialRecord t : result.trials()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("trial", t.index() + 1);
      m.put("status", t.status().label());
      m.put("parameters", t.parameters());
      m.put("epochs_trained", t.epochs());
      m.put("metric", t.metric().isPresent() ? t.metric().getAsDouble() : null);
      trials.add(m);
    }
    data.put("trials", trials);
    return data;
  }

  private static final String CSS = """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
        margin:0 auto;max-width:1200px;padding:16px 24px;color:#222;background:#fff}
      h1{font-size:24px;margin:8px 0} h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px}
      code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
      .best{background:#eef8ee;padding:6px 10px;border-left:4px solid #2ca02c}
      .note{color:#666} table{border-collapse:collapse;font-size:13px}
      th,td{border:1px solid #ddd;padding:3px 7px;text-align:right} th{background:#f6f6f6;cursor:pointer}
      tr.best td{background:#eef8ee} tr.failed td{color:#b22} tr.interrupted td{color:#a60}
      .charts{display:flex;flex-wrap:wrap;gap:12px} svg.chart{width:560px;height:300px;border:1px solid #eee}
      svg.wide{width:100%;max-width:960px;height:320px;border:1px solid #eee}
      .title{font-weight:600;font-size:13px} .tick{font-size:10px;fill:#555} .label{font-size:11px;fill:#333}
      .axis{stroke:#333} .grid{stroke:#eee} .empty{fill:#999}
      .digits{display:flex;flex-wrap:wrap;gap:6px} .digits figure{margin:0;text-align:center;font-size:11px}
      .digits img{image-rendering:pixelated;border:1px solid #ccc}
      .confusion td{min-width:34px;text-align:center} .samples img{image-rendering:pixelated;max-width:100%}
      footer{margin-top:32px;color:#999;font-size:12px}
      """;

  private static final String SCRIPT = """
      (function(){
        var data = JSON.parse(document.getElementById('sweep-data').textContent);
        var svgNs = 'http://www.w3.org/2000/svg';
        function el(name, attrs, parent){var e=document.createElementNS(svgNs,name);
          for (var k in attrs) e.setAttribute(k, attrs[k]); if (parent) parent.appendChild(e); return e;}
        // Parallel coordinates: one axis per parameter that varies, then the metric.
        var svg = document.getElementById('parallel');
        var trials = data.trials;
        var names = [];
        trials.forEach(function(t){Object.keys(t.parameters).forEach(function(k){
          if (names.indexOf(k) < 0) names.push(k);});});
        var axes = names.filter(function(k){var seen={};trials.forEach(function(t){
          seen[String(t.parameters[k])]=true;}); return Object.keys(seen).length > 1;});
        axes.push('metric');
        function value(t,k){return k==='metric' ? t.metric : t.parameters[k];}
        var scales = axes.map(function(k){
          var vals = trials.map(function(t){return value(t,k);}).filter(function(v){return v!==null && v!==undefined;});
          var numeric = vals.every(function(v){return typeof v === 'number';});
          if (numeric){var lo=Math.min.apply(null,vals), hi=Math.max.apply(null,vals);
            var log = k!=='metric' && lo>0 && hi/lo>20;
            var f = function(v){return log?Math.log(v):v;}; lo=f(lo); hi=f(hi);
            return {label:k, pos:function(v){return hi===lo?0.5:(f(v)-lo)/(hi-lo);}, ticks:[Math.min.apply(null,vals),Math.max.apply(null,vals)]};}
          var cats = []; vals.forEach(function(v){if (cats.indexOf(String(v))<0) cats.push(String(v));});
          return {label:k, pos:function(v){return cats.length<2?0.5:cats.indexOf(String(v))/(cats.length-1);}, ticks:cats};
        });
        var W=960,H=320,L=60,R=60,T=30,B=30;
        function x(i){return axes.length<2 ? W/2 : L + i*(W-L-R)/(axes.length-1);}
        function y(p){return H-B - p*(H-T-B);}
        var metrics = trials.map(function(t){return t.metric;}).filter(function(v){return v!==null;});
        var mlo=Math.min.apply(null,metrics), mhi=Math.max.apply(null,metrics);
        trials.forEach(function(t){
          if (t.metric===null) return;
          var q = mhi===mlo ? 1 : (t.metric-mlo)/(mhi-mlo); if (data.goal==='minimize') q = 1-q;
          var pts = axes.map(function(k,i){var v=value(t,k); return x(i)+','+y(v===undefined||v===null?0:scales[i].pos(v));});
          var line = el('polyline',{points:pts.join(' '),fill:'none','stroke-width':2,
            stroke:'hsl(215,70%,'+Math.round(80-55*q)+'%)','class':'trial-line'},svg);
          el('title',{},line).textContent='trial '+t.trial+': '+JSON.stringify(t.parameters)+' '+data.metric+'='+t.metric;
        });
        axes.forEach(function(k,i){
          el('line',{x1:x(i),x2:x(i),y1:T,y2:H-B,stroke:'#333','class':'pc-axis'},svg);
          el('text',{x:x(i),y:T-10,'text-anchor':'middle','class':'label'},svg).textContent = k==='metric'?data.metric:k;
          var ticks = scales[i].ticks;
          el('text',{x:x(i)+4,y:H-B+14,'class':'tick'},svg).textContent = String(ticks[0]);
          el('text',{x:x(i)+4,y:T+10,'class':'tick'},svg).textContent = String(ticks[ticks.length-1]);
        });
        // Sortable results table.
        var table = document.getElementById('results');
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, col){
          th.addEventListener('click', function(){
            var rows = Array.prototype.slice.call(table.tBodies[0].rows);
            var asc = th.dataset.order !== 'asc'; th.dataset.order = asc ? 'asc' : 'desc';
            rows.sort(function(a,b){var u=a.cells[col].textContent, v=b.cells[col].textContent;
              var nu=parseFloat(u), nv=parseFloat(v);
              var c = (!isNaN(nu)&&!isNaN(nv)) ? nu-nv : u.localeCompare(v); return asc?c:-c;});
            rows.forEach(function(r){table.tBodies[0].appendChild(r);});
          });
        });
        document.body.setAttribute('data-rendered', 'true');
      })();
      """;
}
