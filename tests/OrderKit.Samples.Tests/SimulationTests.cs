using OrderKit.Samples.Simulation;

namespace OrderKit.Samples.Tests;

public sealed class SimulationTests
{
    [Fact]
    public async Task TwoWeeks_OfTheShop_ProduceInsights_AndAReportWithThreeCharts()
    {
        using var log = new StringWriter();

        SimulationResult result = await ShopSimulation.RunAsync(14, seed: 3, log);
        string html = HtmlReport.Render(result);

        Assert.Equal(14, result.Days.Count);
        Assert.True(result.Report.Orders > 100, $"{result.Report.Orders} orders");
        Assert.True(result.Report.Delivered > 0 && result.Report.LeadTime.Count == result.Report.Delivered);
        Assert.InRange(result.Report.OnTimeRate!.Value, 0.5, 1.0);
        Assert.Equal(result.Report.Delivered, result.LeadTimes.Count);
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.Contains("simulated days", html, StringComparison.Ordinal);
        Assert.Contains("Orders ", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameSeed_GivesTheSameShop()
    {
        SimulationResult a = await ShopSimulation.RunAsync(5, seed: 11, TextWriter.Null);
        SimulationResult b = await ShopSimulation.RunAsync(5, seed: 11, TextWriter.Null);

        Assert.Equal(a.Report.Orders, b.Report.Orders);
        Assert.Equal(a.Report.LeadTime, b.Report.LeadTime);
        Assert.Equal(a.Days.Select(d => d.Orders), b.Days.Select(d => d.Orders));
    }
}
