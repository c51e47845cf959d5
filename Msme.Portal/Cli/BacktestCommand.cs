using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Msme.Domain.Collections;
using Msme.Portal.Features.Collections;

namespace Msme.Portal.Cli;

/// <summary>
/// <c>backtest [--customer ID] [--json] [--fit]</c>: the walk-forward backtest of the stored book (docs/smart-collect-model.md,
/// "Validation"). <c>--fit</c> refits the coefficients on the book's training window first and prints them.
/// </summary>
internal static class BacktestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var customer = new Option<int?>("--customer") { Description = "Score only this stored customer's presentments (the model is the same)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the figures and every scored presentment." };
        var fit = new Option<bool>("--fit") { Description = "Refit the model on the presentments before the scored window and print its coefficients." };
        var command = new Command("backtest", "Walk-forward backtest of Smart Collect on the stored loan book and statements.") { customer, json, fit };
        command.SetAction(async (parse, ct) =>
        {
            using var host = await CliApp.StartStoreHostAsync(ct);
            using var scope = host.Services.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<CollectionsService>();
            FittedPresentmentModel? model = null;
            if (parse.GetValue(fit))
            {
                var book = await service.BookAsync(ct);
                model = await Task.Run(() => WalkForward.Fit(book, WalkForward.DefaultEvaluateFrom(book)), ct);
                if (!parse.GetValue(json)) await output.WriteAsync(Coefficients(model));
            }
            var report = await service.BacktestAsync(parse.GetValue(customer), model, ct);
            // A read of customer data like any other: on the trail, as the operating-system user who ran it.
            await host.Services.GetRequiredService<Msme.Portal.Features.Compliance.AuditLog>().AppendAsync(new Msme.Portal.Features.Compliance.AuditEvent(
                null, "cli:" + Environment.UserName, "", "view", "backtest", parse.GetValue(customer),
                "walk-forward backtest over the loan book and monitoring statements"), ct);
            await output.WriteAsync(parse.GetValue(json) ? Json(report.Fitted) + Environment.NewLine : Text(report));
            return 0;
        });
        return command;
    }

    /// <summary>The issue's object, in its order: figures, then one item per scored presentment.</summary>
    internal static string Json(WalkForwardResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("presentments", r.Presentments);
            w.WriteStartObject("dueDate");
            w.WriteNumber("bounces", r.DueDateBounces);
            w.WriteNumber("bounceRate", Round(r.DueDateBounceRate));
            w.WriteEndObject();
            w.WriteStartObject("recommended");
            w.WriteNumber("bounces", r.RecommendedBounces);
            w.WriteNumber("bounceRate", Round(r.RecommendedBounceRate));
            w.WriteEndObject();
            w.WriteNumber("bounceReduction", Round(r.BounceReduction));
            w.WriteNumber("brier", Round(r.Brier));
            w.WriteNumber("baseRateBrier", Round(r.BaseRateBrier));
            w.WriteNumber("auc", Round(r.Auc));
            w.WriteStartArray("items");
            foreach (var i in r.Items)
            {
                w.WriteStartObject();
                w.WriteString("loanId", i.LoanId);
                w.WriteNumber("instalment", i.Instalment);
                w.WriteString("dueDate", i.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteString("recommendedDate", i.RecommendedDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteNumber("probability", Round(i.Probability));
                w.WriteBoolean("dueDateCovered", i.DueDateCovered);
                w.WriteBoolean("recommendedCovered", i.RecommendedCovered);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    internal static string Text(BacktestReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        var f = report.Fitted;
        var b = report.Baseline;
        s.AppendLine(inv, $"walk-forward backtest{(report.Customer is { } c ? $" of customer {c}" : "")}: presentments due from {f.EvaluateFrom:yyyy-MM-dd}, each predicted at its cut (the day before the window opens)");
        s.AppendLine(inv, $"model {report.Model.Version}, fitted on presentments due {report.Model.TrainedFrom:yyyy-MM-dd}..{report.Model.TrainedTo:yyyy-MM-dd} ({report.Model.Rows} window-day rows)");
        s.AppendLine(inv, $"{f.Presentments} presentments ({f.Skipped} skipped for under {WalkForward.MinHistoryMonths} complete months before the cut)");
        s.AppendLine(inv, $"                      fitted    model 1   target");
        s.AppendLine(inv, $"due-date bounce rate  {f.DueDateBounceRate,8:0.000}  {b.DueDateBounceRate,8:0.000}   ({f.DueDateBounces} of {f.Presentments})");
        s.AppendLine(inv, $"recommended           {f.RecommendedBounceRate,8:0.000}  {b.RecommendedBounceRate,8:0.000}   ({f.RecommendedBounces} of {f.Presentments})");
        s.AppendLine(inv, $"bounce reduction      {f.BounceReduction,8:0.000}  {b.BounceReduction,8:0.000}   ≥ 0.600 {Verdict(report.MeetsBounceReduction)}");
        s.AppendLine(inv, $"Brier                 {f.Brier,8:0.0000}  {b.Brier,8:0.0000}");
        s.AppendLine(inv, $"base-rate Brier       {f.BaseRateBrier,8:0.0000}  {b.BaseRateBrier,8:0.0000}");
        s.AppendLine(inv, $"Brier / base          {report.BrierRatio,8:0.000}  {(b.BaseRateBrier == 0 ? 0 : b.Brier / b.BaseRateBrier),8:0.000}   ≤ 0.800 {Verdict(report.MeetsBrier)}");
        s.AppendLine(inv, $"AUC                   {f.Auc,8:0.000}  {b.Auc,8:0.000}   ≥ 0.800 {Verdict(report.MeetsAuc)}");
        s.AppendLine("reliability (fitted): bin  count  mean predicted  observed");
        foreach (var bin in f.Reliability)
            s.AppendLine(inv, $"  {bin.From:0.0}-{bin.To:0.0}  {bin.Count,6}  {(bin.MeanPredicted is { } m ? m.ToString("0.000", inv) : "-"),14}  {(bin.ObservedRate is { } o ? o.ToString("0.000", inv) : "-"),8}");
        return s.ToString();
    }

    private static string Coefficients(FittedPresentmentModel m)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine(inv, $"fitted {m.Version}: {m.Rows} rows, presentments due {m.TrainedFrom:yyyy-MM-dd}..{m.TrainedTo:yyyy-MM-dd}, ridge λ {m.Lambda}");
        s.AppendLine(inv, $"  intercept {m.Intercept.ToString("R", inv)}");
        for (var j = 0; j < m.Coefficients.Count; j++)
            s.AppendLine(inv, $"  {PresentmentFeatures.Names[j],-18} β {m.Coefficients[j].ToString("R", inv)}  mean {m.Means[j].ToString("R", inv)}  scale {m.Scales[j].ToString("R", inv)}");
        return s.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static double Round(double v) => Math.Round(v, 4);
}
