using System.Diagnostics;
using System.Globalization;
using ScottPlot;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>A chart drawn as a PNG, with the alt text Slack shows to screen readers and in place of the image.</summary>
public sealed record ChartImage(string FileName, string Title, byte[] Png, string AltText);

/// <summary>
/// The digest's two charts as PNG images for Slack, which has no chart blocks: the funnel chain this week
/// against the trailing average (grouped bars) and the 13-week SLA compliance and acceptance per handoff kind (lines).
/// Drawn with ScottPlot (SkiaSharp). Japanese labels need a CJK font: one is looked for once, at run time
/// (<see cref="CjkFont"/>); without one the images use labels that need none (MQL, SQL, Won, ISO dates, English
/// titles) and the Japanese stays in the alt text.
/// </summary>
public static class DigestChartImages
{
    public const int Width = 900;
    public const int Height = 500;

    /// <summary>Where CJK fonts usually live on Linux images (Debian/Ubuntu fonts-noto-cjk, fonts-ipafont, RHEL google-noto-cjk); then fontconfig is asked.</summary>
    public static readonly IReadOnlyList<string> KnownCjkFontPaths =
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/noto/NotoSansJP-Regular.ttf",
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
    ];

    private const string CjkFamily = "TheModel CJK";
    private static readonly Lazy<string?> Cjk = new(FindCjkFont);
    private static readonly object DrawGate = new();

    /// <summary>The CJK font file found on this machine, or null (then images draw no CJK).</summary>
    public static string? CjkFont => Cjk.Value;

    /// <summary>Both charts the model has; none when it has neither.</summary>
    public static IReadOnlyList<ChartImage> Render(DigestCardModel model)
    {
        var images = new List<ChartImage>();
        var local = model.Language != "ja" || CjkFont is not null;
        if (model.Chain is { Bars.Count: > 0 } chain)
        {
            images.Add(new ChartImage("funnel-chain.png", chain.Title, ChainPng(chain, local), chain.AltText));
        }
        if (model.Trend is { Weeks.Count: > 0, Lines.Count: > 0 } trend)
        {
            images.Add(new ChartImage("sla-trend.png", trend.Title, TrendPng(trend, local), trend.AltText));
        }
        return images;
    }

    /// <summary><paramref name="local"/>: labels in the model's language; false: labels that need no CJK font.</summary>
    public static byte[] ChainPng(ChainChart chain, bool local)
    {
        lock (DrawGate)
        {
            var plot = NewPlot(local);
            var palette = new ScottPlot.Palettes.Category10();
            var bars = new List<Bar>();
            var positions = new List<double>();
            var labels = new List<string>();
            for (var i = 0; i < chain.Bars.Count; i++)
            {
                var b = chain.Bars[i];
                var x = i * 3.0;
                bars.Add(new Bar { Position = x, Value = Finite(b.ThisWeek), FillColor = palette.GetColor(0), Label = Number(b.ThisWeek) });
                bars.Add(new Bar { Position = x + 1, Value = Finite(b.Average ?? 0), FillColor = palette.GetColor(1), Label = b.Average is { } a ? Number(a) : "" });
                positions.Add(x + 0.5);
                labels.Add(local ? b.Label : b.AxisLabel);
            }
            var series = plot.Add.Bars(bars);
            series.ValueLabelStyle.FontSize = 14;
            plot.Axes.Bottom.SetTicks([.. positions], [.. labels]);
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.Margins(bottom: 0);
            plot.Title(local ? chain.Title : $"Funnel chain: this week and the {chain.AxisAverageLabel}");
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = local ? chain.ThisWeekLabel : chain.AxisThisWeekLabel, FillColor = palette.GetColor(0) });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = local ? chain.AverageLabel : chain.AxisAverageLabel, FillColor = palette.GetColor(1) });
            plot.ShowLegend(Alignment.UpperRight);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
    }

    public static byte[] TrendPng(TrendChart trend, bool local)
    {
        lock (DrawGate)
        {
            var plot = NewPlot(local);
            var palette = new ScottPlot.Palettes.Category10();
            for (var l = 0; l < trend.Lines.Count; l++)
            {
                var line = trend.Lines[l];
                // A week without offers has no rate: the line joins the weeks that have one.
                var points = line.Values.Select((v, i) => (v, i)).Where(p => p.v is { } x && double.IsFinite(x) && p.i < trend.Weeks.Count).ToList();
                if (points.Count == 0)
                {
                    continue;
                }
                var scatter = plot.Add.Scatter(points.Select(p => (double)p.i).ToArray(), points.Select(p => p.v!.Value).ToArray());
                scatter.Color = palette.GetColor(l / 2);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 5;
                // Acceptance dashed, SLA solid: two lines per handoff kind in the kind's colour.
                if (l % 2 == 1)
                {
                    scatter.LinePattern = LinePattern.Dashed;
                }
                scatter.LegendText = local ? line.Label : line.AxisLabel;
            }
            // Every other Monday as an ISO date: 13 labels side by side would overlap.
            var ticks = trend.Weeks.Select((w, i) => (w, i)).Where(x => x.i % 2 == (trend.Weeks.Count - 1) % 2).ToList();
            plot.Axes.Bottom.SetTicks(ticks.Select(x => (double)x.i).ToArray(), ticks.Select(x => x.w).ToArray());
            plot.Axes.SetLimitsY(0, 105);
            plot.Axes.SetLimitsX(-0.5, trend.Weeks.Count - 0.5);
            plot.Title(local ? trend.Title : $"SLA compliance and acceptance, {trend.Weeks.Count} weeks (%)");
            plot.ShowLegend(Alignment.LowerLeft);
            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
    }

    private static Plot NewPlot(bool local)
    {
        var plot = new Plot();
        if (local && CjkFont is not null)
        {
            plot.Font.Set(CjkFamily);
        }
        return plot;
    }

    /// <summary>Known paths first, then <c>fc-match :lang=ja</c>; the font is registered with ScottPlot under one family name.</summary>
    private static string? FindCjkFont()
    {
        var path = KnownCjkFontPaths.FirstOrDefault(File.Exists) ?? FontConfigMatch();
        if (path is null)
        {
            return null;
        }
        try
        {
            Fonts.AddFontFile(CjkFamily, path);
            return path;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            return null;
        }
    }

    private static string? FontConfigMatch()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("fc-match", ["-f", "%{file}\n%{lang}", ":lang=ja"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(5000))
            {
                process.Kill();
                return null;
            }
            var lines = output.Split('\n');
            // fc-match always answers with its best font; only one that covers Japanese will do.
            return lines.Length >= 2 && lines[1].Split('|').Contains("ja") && File.Exists(lines[0]) ? lines[0] : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);
}
