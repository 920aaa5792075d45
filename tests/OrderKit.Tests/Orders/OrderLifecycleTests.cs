using OrderKit.Orders;

namespace OrderKit.Tests.Orders;

public sealed class OrderLifecycleTests
{
    private const string Begin = "<!-- lifecycle-diagram:begin -->";
    private const string End = "<!-- lifecycle-diagram:end -->";

    [Fact]
    public void ToMermaidDiagram_MatchesDocsLifecycle()
    {
        string doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "lifecycle.md"));
        int start = doc.IndexOf(Begin, StringComparison.Ordinal);
        int end = doc.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/lifecycle.md must hold the diagram between {Begin} and {End}.");
        string documented = doc[(start + Begin.Length)..end].Replace("```mermaid", string.Empty, StringComparison.Ordinal).Replace("```", string.Empty, StringComparison.Ordinal).Trim();
        string generated = OrderLifecycle.ToMermaidDiagram().Trim();
        Assert.True(
            Normalize(documented) == Normalize(generated),
            "docs/lifecycle.md is out of date. Replace the diagram between the markers with:\n" + generated);
    }

    [Fact]
    public void ToMermaidDiagram_NamesEveryStatusAndGuard()
    {
        string diagram = OrderLifecycle.ToMermaidDiagram();
        Assert.StartsWith("stateDiagram-v2", diagram, StringComparison.Ordinal);
        foreach (OrderStatus status in Enum.GetValues<OrderStatus>())
        {
            Assert.Contains(status.ToString(), diagram, StringComparison.Ordinal);
        }

        Assert.Contains("no hold is active", diagram, StringComparison.Ordinal);
    }

    /// <summary>The precomputed table and the real Stateless machine agree for every status and every combination of conditions.</summary>
    [Fact]
    public void AllowedActionsTable_AgreesWithStatelessCanFire()
    {
        foreach (OrderStatus status in Enum.GetValues<OrderStatus>())
        {
            for (int c = 0; c <= (int)OrderCondition.All; c++)
            {
                var conditions = (OrderCondition)c;
                OrderStatus state = status;
                var machine = OrderLifecycleDefinition.Build(() => state, s => state = s, () => state, x => (conditions & x) == x);
                foreach (OrderTrigger trigger in Enum.GetValues<OrderTrigger>())
                {
                    OrderActions action = Enum.Parse<OrderActions>(trigger.ToString());
                    bool fromTable = (OrderLifecycleDefinition.AllowedActions(status, PaymentStatus.Pending, conditions) & action) != 0;
                    Assert.True(machine.CanFire(trigger) == fromTable, $"{status} {conditions} {trigger}: Stateless says {machine.CanFire(trigger)}, the table {fromTable}");
                }
            }
        }
    }

    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
