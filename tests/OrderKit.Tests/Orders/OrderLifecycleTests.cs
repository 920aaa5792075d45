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

    /// <summary>
    /// Orders move on the compiled tables, not by firing Stateless: for every status, trigger, combination of
    /// conditions and status the quantities could lead to, the tables accept exactly the transitions that firing the
    /// real machine makes, and land where it lands. The one difference is on purpose: a dynamic destination the
    /// definition does not declare is a defect the tables refuse, where Stateless would follow it.
    /// </summary>
    [Fact]
    public void TransitionTables_AgreeWithFiringStateless()
    {
        int compared = 0;
        foreach (OrderStatus status in Enum.GetValues<OrderStatus>())
        {
            for (int c = 0; c <= (int)OrderCondition.All; c++)
            {
                var conditions = (OrderCondition)c;
                foreach (OrderTrigger trigger in Enum.GetValues<OrderTrigger>())
                {
                    foreach (OrderStatus next in Enum.GetValues<OrderStatus>())
                    {
                        OrderStatus state = status;
                        var machine = OrderLifecycleDefinition.Build(() => state, s => state = s, () => next, x => (conditions & x) == x);
                        bool fired = machine.CanFire(trigger);
                        if (fired)
                        {
                            machine.Fire(trigger);
                        }
                        else
                        {
                            Assert.Throws<InvalidOperationException>(() => machine.Fire(trigger));
                        }

                        string? refusal = OrderLifecycleDefinition.CheckTransition(status, trigger, conditions, next);
                        string where = $"{status} {conditions} {trigger} -> {next}";
                        if (!fired)
                        {
                            Assert.True(refusal is not null, $"{where}: Stateless refuses, the tables accept");
                        }
                        else if (state == next)
                        {
                            bool declared = DeclaredDestinations(status, trigger).Contains(next);
                            Assert.True(declared == refusal is null, $"{where}: Stateless moves there; declared {declared}, the tables say {refusal ?? "yes"}");
                        }
                        else
                        {
                            // A fixed destination other than the one the quantities lead to: the order reports a defect.
                            Assert.True(refusal is not null, $"{where}: Stateless goes to {state}, the tables accept {next}");
                        }

                        compared++;
                    }
                }
            }
        }

        Assert.Equal(Enum.GetValues<OrderStatus>().Length * ((int)OrderCondition.All + 1) * Enum.GetValues<OrderTrigger>().Length * Enum.GetValues<OrderStatus>().Length, compared);
    }

    [Fact]
    public void TransitionTables_NameWhyATransitionIsRefused()
    {
        Assert.Null(OrderLifecycleDefinition.CheckTransition(OrderStatus.Pending, OrderTrigger.Confirm, OrderCondition.None, OrderStatus.Confirmed));
        Assert.Equal("status Delivered does not permit Ship", OrderLifecycleDefinition.CheckTransition(OrderStatus.Delivered, OrderTrigger.Ship, OrderCondition.All, OrderStatus.Shipped));
        Assert.Equal("Ship requires that no hold is active", OrderLifecycleDefinition.CheckTransition(OrderStatus.Allocated, OrderTrigger.Ship, OrderCondition.HasAllocatedUnits, OrderStatus.Shipped));
        Assert.Equal("Confirm from Pending never leads to Allocated", OrderLifecycleDefinition.CheckTransition(OrderStatus.Pending, OrderTrigger.Confirm, OrderCondition.None, OrderStatus.Allocated));
    }

    private static HashSet<OrderStatus> DeclaredDestinations(OrderStatus status, OrderTrigger trigger)
    {
        OrderStatus state = status;
        var info = OrderLifecycleDefinition.Build(() => state, s => state = s, () => state, _ => true).GetInfo();
        var declared = new HashSet<OrderStatus>();
        foreach (var stateInfo in info.States.Where(s => (OrderStatus)s.UnderlyingState == status))
        {
            foreach (var fixedTransition in stateInfo.FixedTransitions.Where(t => (OrderTrigger)t.Trigger.UnderlyingTrigger == trigger))
            {
                declared.Add((OrderStatus)fixedTransition.DestinationState.UnderlyingState);
            }

            foreach (var dynamicTransition in stateInfo.DynamicTransitions.Where(t => (OrderTrigger)t.Trigger.UnderlyingTrigger == trigger))
            {
                foreach (var destination in dynamicTransition.PossibleDestinationStates)
                {
                    declared.Add(Enum.Parse<OrderStatus>(destination.DestinationState));
                }
            }
        }

        return declared;
    }

    private static string Normalize(string text) => string.Join('\n', text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));
}
