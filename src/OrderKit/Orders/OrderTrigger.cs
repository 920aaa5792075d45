namespace OrderKit.Orders;

/// <summary>The triggers of the order status machine; internal, so Stateless never shows in the public API.</summary>
internal enum OrderTrigger
{
    Confirm,
    Allocate,
    Deallocate,
    Ship,
    Deliver,
    Complete,
    Cancel,
    CancelLine,
}
