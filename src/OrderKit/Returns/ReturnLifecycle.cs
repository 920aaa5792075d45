using System.Numerics;
using OrderKit.Internal;
using Stateless;

namespace OrderKit.Returns;

/// <summary>
/// The return request's status machine: defined once here, on Stateless, and compiled at start-up into the tables that
/// answer "what may I do with this return now?" and "where does this action take it?" without firing Stateless.
/// </summary>
internal static class ReturnLifecycle
{
    private const int StatusCount = (int)ReturnStatus.Cancelled + 1;

    private static readonly ReturnActions[] s_allowed = Compile();
    private static readonly int[] s_destinations = CompileDestinations();

    /// <summary>Returns the actions permitted in a status.</summary>
    public static ReturnActions AllowedActions(ReturnStatus status) =>
        (uint)status < (uint)s_allowed.Length ? s_allowed[(int)status] : ReturnActions.None;

    /// <summary>Returns the status the definition takes a return in <paramref name="from"/> to on <paramref name="trigger"/>, or null when it does not permit the trigger there.</summary>
    public static ReturnStatus? Next(ReturnStatus from, ReturnActions trigger)
    {
        int destinations = (uint)from < StatusCount ? LifecycleTable.Destinations(s_destinations, (int)from, (int)trigger) : 0;
        return BitOperations.PopCount((uint)destinations) == 1 ? (ReturnStatus)BitOperations.TrailingZeroCount(destinations) : null;
    }

    /// <summary>Builds a machine over the given accessors. Callers keep it: building one costs microseconds.</summary>
    public static StateMachine<ReturnStatus, ReturnActions> Build(Func<ReturnStatus> getStatus, Action<ReturnStatus> setStatus)
    {
        var machine = new StateMachine<ReturnStatus, ReturnActions>(getStatus, setStatus, FiringMode.Immediate);

        machine.Configure(ReturnStatus.Requested)
            .Permit(ReturnActions.Authorize, ReturnStatus.Authorized)
            .Permit(ReturnActions.Reject, ReturnStatus.Rejected)
            .Permit(ReturnActions.Cancel, ReturnStatus.Cancelled);

        machine.Configure(ReturnStatus.Authorized)
            .Permit(ReturnActions.Ship, ReturnStatus.InTransit)
            .Permit(ReturnActions.Receive, ReturnStatus.Received)
            .Permit(ReturnActions.Cancel, ReturnStatus.Cancelled);

        machine.Configure(ReturnStatus.InTransit)
            .PermitReentry(ReturnActions.Ship)
            .Permit(ReturnActions.Receive, ReturnStatus.Received)
            .Permit(ReturnActions.Cancel, ReturnStatus.Cancelled);

        machine.Configure(ReturnStatus.Received)
            .Permit(ReturnActions.Inspect, ReturnStatus.Inspected);

        machine.Configure(ReturnStatus.Inspected)
            .Permit(ReturnActions.Resolve, ReturnStatus.Resolved);

        machine.Configure(ReturnStatus.Resolved)
            .Permit(ReturnActions.Close, ReturnStatus.Closed);

        machine.Configure(ReturnStatus.Closed);
        machine.Configure(ReturnStatus.Rejected);
        machine.Configure(ReturnStatus.Cancelled);
        return machine;
    }

    private static ReturnActions[] Compile()
    {
        ReturnStatus state = ReturnStatus.Requested;
        int[] masks = LifecycleTable.Compile(Build(() => state, s => state = s).GetInfo(), StatusCount);
        return [.. masks.Select(static m => (ReturnActions)m)];
    }

    private static int[] CompileDestinations()
    {
        ReturnStatus state = ReturnStatus.Requested;
        return LifecycleTable.CompileDestinations(Build(() => state, s => state = s).GetInfo(), StatusCount);
    }
}
