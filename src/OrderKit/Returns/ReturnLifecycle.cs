using OrderKit.Internal;
using Stateless;

namespace OrderKit.Returns;

/// <summary>
/// The return request's status machine: defined once here, on Stateless, and compiled at start-up into the table that
/// answers "what may I do with this return now?" without asking Stateless.
/// </summary>
internal static class ReturnLifecycle
{
    private static readonly ReturnActions[] s_allowed = Compile();

    /// <summary>Returns the actions permitted in a status.</summary>
    public static ReturnActions AllowedActions(ReturnStatus status) =>
        (uint)status < (uint)s_allowed.Length ? s_allowed[(int)status] : ReturnActions.None;

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
        int[] masks = LifecycleTable.Compile(Build(() => state, s => state = s).GetInfo(), (int)ReturnStatus.Cancelled + 1);
        return [.. masks.Select(static m => (ReturnActions)m)];
    }
}
