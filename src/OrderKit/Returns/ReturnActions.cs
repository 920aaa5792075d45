namespace OrderKit.Returns;

/// <summary>The actions on a return request, as flags: what <see cref="ReturnRequest.AllowedActions"/> answers.</summary>
[Flags]
public enum ReturnActions
{
    /// <summary>No action.</summary>
    None = 0,

    /// <summary>Accept the return (<see cref="Orders.Order.AuthorizeReturn"/>).</summary>
    Authorize = 1 << 0,

    /// <summary>Refuse it (<see cref="Orders.Order.RejectReturn"/>).</summary>
    Reject = 1 << 1,

    /// <summary>Record the return label the units travel under (<see cref="Orders.Order.RecordReturnLabel"/>).</summary>
    Ship = 1 << 2,

    /// <summary>Receive the units with their dispositions (<see cref="Orders.Order.ReceiveReturn"/>).</summary>
    Receive = 1 << 3,

    /// <summary>Record the inspection (<see cref="Orders.Order.InspectReturn"/>).</summary>
    Inspect = 1 << 4,

    /// <summary>Make the customer whole (<see cref="Orders.Order.ResolveReturn"/>).</summary>
    Resolve = 1 << 5,

    /// <summary>Close it (<see cref="Orders.Order.CloseReturn"/>).</summary>
    Close = 1 << 6,

    /// <summary>Withdraw it before anything arrived (<see cref="Orders.Order.CancelReturn"/>).</summary>
    Cancel = 1 << 7,
}
