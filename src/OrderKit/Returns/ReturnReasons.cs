namespace OrderKit.Returns;

/// <summary>What follows from a <see cref="ReturnReason"/>.</summary>
public static class ReturnReasons
{
    /// <summary>Returns whether a reason is the shop's fault: defective, damaged in transit, wrong item, or not as described.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>True when the shop is at fault.</returns>
    public static bool IsShopFault(this ReturnReason reason) => reason is ReturnReason.Defective or ReturnReason.DamagedInTransit or ReturnReason.WrongItem or ReturnReason.NotAsDescribed;
}
