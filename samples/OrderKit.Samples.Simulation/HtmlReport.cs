using System.Globalization;
using System.Net;
using System.Text;
using NodaTime;
using OrderKit.Insights;

namespace OrderKit.Samples.Simulation;

/// <summary>A self-contained HTML page with the run's figures and three charts drawn as inline SVG.</summary>
public static class HtmlReport
{
    private const int Width = 720;
    private const int Height = 220;
    private static readonly string[] s_colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <summary>Renders the report.</summary>
    /// <param name="result">The run.</param>
    /// <returns>The HTML page.</returns>
    public static string Render(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        InsightsReport r = result.Report;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OrderKit simulation</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}td,th{padding:.2rem .8rem;text-align:left}svg{border:1px solid #ddd;margin:.5rem 0 1.5rem}</style></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{result.Days.Count} simulated days</h1><table>")
            .Append(Row("Orders", r.Orders.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Delivered", r.Delivered.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Lead time", r.LeadTime.ToString()))
            .Append(Row("On time", Percent(r.OnTimeRate)))
            .Append(Row("First-time fill", Percent(r.FirstTimeFillRate)))
            .Append(Row("Backorder rate", Percent(r.BackorderRate)))
            .Append(Row("Split shipments", Percent(r.SplitShipmentRate)))
            .Append(Row("Returns", Percent(r.ReturnRate)))
            .Append(Row("Perfect orders", Percent(r.PerfectOrderRate)))
            .Append("</table>");

        html.Append("<h2>Lead time, placed to delivered (hours)</h2>").Append(Histogram(result.LeadTimes));
        html.Append("<h2>Daily first-time fill (orders placed) and on-time rate (parcels delivered)</h2>")
            .Append(Lines([.. result.Days.Select(d => d.Date)], [("first-time fill", [.. result.Days.Select(d => d.FirstTimeFill ?? double.NaN)]), ("on time", [.. result.Days.Select(d => d.OnTime ?? double.NaN)])], 1.0));
        html.Append("<h2>Available stock of the busiest SKUs (solid) against their reorder points (dashed)</h2>");
        var series = new List<(string, List<double>)>();
        foreach (Sku sku in result.BusiestSkus)
        {
            series.Add((sku.Value, result.Days.Select(d => (double)d.Stock[sku].Available).ToList()));
            series.Add((sku.Value + " reorder point", result.Days.Select(d => (double)d.Stock[sku].ReorderPoint).ToList()));
        }

        double top = Math.Max(1, series.SelectMany(s => s.Item2).Max());
        html.Append(Lines([.. result.Days.Select(d => d.Date)], series, top)).Append("</body></html>");
        return html.ToString();
    }

    private static string Row(string name, string value) => $"<tr><th>{WebUtility.HtmlEncode(name)}</th><td>{WebUtility.HtmlEncode(value)}</td></tr>";

    private static string Percent(double? rate) => rate is { } value ? value.ToString("P1", CultureInfo.InvariantCulture) : "–";

    private static string Histogram(IReadOnlyList<Duration> values)
    {
        if (values.Count == 0)
        {
            return "<p>No order delivered yet.</p>";
        }

        double[] hours = [.. values.Select(v => v.TotalHours)];
        const int Buckets = 20;
        double max = Math.Max(1, hours.Max());
        int[] counts = new int[Buckets];
        foreach (double h in hours)
        {
            counts[Math.Min(Buckets - 1, (int)(h / max * Buckets))]++;
        }

        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height}\" role=\"img\">");
        double barWidth = (Width - 40) / (double)Buckets;
        int tallest = counts.Max();
        for (int i = 0; i < Buckets; i++)
        {
            double h = (Height - 30) * counts[i] / (double)tallest;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{30 + (i * barWidth):0.#}\" y=\"{Height - 20 - h:0.#}\" width=\"{barWidth - 2:0.#}\" height=\"{h:0.#}\" fill=\"{s_colors[0]}\"><title>{counts[i]} orders</title></rect>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"30\" y=\"{Height - 4}\" font-size=\"11\">0 h</text><text x=\"{Width - 60}\" y=\"{Height - 4}\" font-size=\"11\">{max:0} h</text></svg>");
        return svg.ToString();
    }

    private static string Lines(List<LocalDate> dates, List<(string Name, List<double> Values)> series, double top)
    {
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height + (16 * series.Count)}\" role=\"img\">");
        double step = (Width - 40) / (double)Math.Max(1, dates.Count - 1);
        for (int s = 0; s < series.Count; s++)
        {
            var points = new StringBuilder();
            for (int i = 0; i < series[s].Values.Count; i++)
            {
                double v = series[s].Values[i];
                if (!double.IsNaN(v))
                {
                    points.Append(CultureInfo.InvariantCulture, $"{30 + (i * step):0.#},{Height - 20 - ((Height - 30) * v / top):0.#} ");
                }
            }

            string color = s_colors[(s / (series.Count > 2 ? 2 : 1)) % s_colors.Length];
            string dash = series.Count > 2 && s % 2 == 1 ? " stroke-dasharray=\"5,4\"" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{points}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"30\" y=\"{Height + 12 + (16 * s)}\" font-size=\"12\" fill=\"{color}\">{WebUtility.HtmlEncode(series[s].Name)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"30\" y=\"{Height - 4}\" font-size=\"11\">{dates[0]:uuuu-MM-dd}</text><text x=\"{Width - 90}\" y=\"{Height - 4}\" font-size=\"11\">{dates[^1]:uuuu-MM-dd}</text></svg>");
        return svg.ToString();
    }
}
