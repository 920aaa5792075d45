using OrderKit.Fulfillment;
using OrderKit.Internal;
using OrderKit.Returns;
using Stateless;
using Stateless.Reflection;

namespace OrderKit.Tests.Internal;

/// <summary>
/// Shipments and returns move on tables compiled from their Stateless definitions instead of firing a machine: the
/// tables must land exactly where firing the real machine lands.
/// </summary>
public sealed class LifecycleTableTests
{
    [Fact]
    public void ShipmentTables_AgreeWithFiringStateless_ForEveryStatusActionAndDestination()
    {
        int compared = 0;
        foreach (ShipmentStatus status in Enum.GetValues<ShipmentStatus>())
        {
            foreach (ShipmentActions action in SingleFlags<ShipmentActions>())
            {
                foreach (ShipmentStatus next in Enum.GetValues<ShipmentStatus>())
                {
                    ShipmentStatus state = status;
                    StateMachine<ShipmentStatus, ShipmentActions> machine = ShipmentLifecycle.Build(() => state, s => state = s, () => next);
                    bool fires = machine.CanFire(action);
                    if (fires)
                    {
                        machine.Fire(action);
                    }

                    // Stateless follows a dynamic destination it was not told of; the table refuses it as a defect.
                    bool expected = fires && state == next && Declared(machine.GetInfo(), status, action).Contains(next);
                    Assert.True(
                        ShipmentLifecycle.Leads(status, action, next) == expected,
                        $"{status} {action} -> {next}: Stateless {(fires ? "moves to " + state : "refuses")}, the table says {!expected}");
                    compared++;
                }
            }
        }

        Assert.Equal(Enum.GetValues<ShipmentStatus>().Length * SingleFlags<ShipmentActions>().Length * Enum.GetValues<ShipmentStatus>().Length, compared);
    }

    [Fact]
    public void ReturnTables_AgreeWithFiringStateless_ForEveryStatusAndAction()
    {
        foreach (ReturnStatus status in Enum.GetValues<ReturnStatus>())
        {
            foreach (ReturnActions action in SingleFlags<ReturnActions>())
            {
                ReturnStatus state = status;
                StateMachine<ReturnStatus, ReturnActions> machine = ReturnLifecycle.Build(() => state, s => state = s);
                ReturnStatus? fired = null;
                if (machine.CanFire(action))
                {
                    machine.Fire(action);
                    fired = state;
                }

                Assert.True(ReturnLifecycle.Next(status, action) == fired, $"{status} {action}: Stateless {fired?.ToString() ?? "refuses"}, the table {ReturnLifecycle.Next(status, action)?.ToString() ?? "refuses"}");
            }
        }
    }

    [Fact]
    public void CompileDestinations_RefusesADefinitionItCannotFollow()
    {
        ShipmentStatus state = ShipmentStatus.Pending;
        var guarded = new StateMachine<ShipmentStatus, ShipmentActions>(() => state, s => state = s);
        guarded.Configure(ShipmentStatus.Pending).PermitIf(ShipmentActions.Pick, ShipmentStatus.Picking, () => true, "always");
        Assert.Contains("guarded", Assert.Throws<InvalidOperationException>(() => LifecycleTable.CompileDestinations(guarded.GetInfo(), 16)).Message, StringComparison.Ordinal);

        var withEntry = new StateMachine<ShipmentStatus, ShipmentActions>(() => state, s => state = s);
        withEntry.Configure(ShipmentStatus.Picking).OnEntry(() => { });
        Assert.Contains("actions or substates", Assert.Throws<InvalidOperationException>(() => LifecycleTable.CompileDestinations(withEntry.GetInfo(), 16)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Destinations_OfAnythingButOneAction_IsNothing()
    {
        int[] table = LifecycleTable.CompileDestinations(ShipmentLifecycle.Build(() => ShipmentStatus.Pending, _ => { }, () => ShipmentStatus.Pending).GetInfo(), 16);
        Assert.Equal(0, LifecycleTable.Destinations(table, (int)ShipmentStatus.Pending, 0));
        Assert.Equal(0, LifecycleTable.Destinations(table, (int)ShipmentStatus.Pending, (int)(ShipmentActions.Pick | ShipmentActions.Cancel)));
        Assert.Equal(1 << (int)ShipmentStatus.Picking, LifecycleTable.Destinations(table, (int)ShipmentStatus.Pending, (int)ShipmentActions.Pick));
    }

    private static T[] SingleFlags<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Where(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) is var n && n != 0 && (n & (n - 1)) == 0)];

    private static HashSet<ShipmentStatus> Declared(StateMachineInfo info, ShipmentStatus status, ShipmentActions action)
    {
        var declared = new HashSet<ShipmentStatus>();
        foreach (StateInfo state in info.States.Where(s => (ShipmentStatus)s.UnderlyingState == status))
        {
            declared.UnionWith(state.FixedTransitions.Where(t => (ShipmentActions)t.Trigger.UnderlyingTrigger == action).Select(t => (ShipmentStatus)t.DestinationState.UnderlyingState));
            declared.UnionWith(state.DynamicTransitions.Where(t => (ShipmentActions)t.Trigger.UnderlyingTrigger == action)
                .SelectMany(t => t.PossibleDestinationStates).Select(d => Enum.Parse<ShipmentStatus>(d.DestinationState)));
        }

        return declared;
    }
}
