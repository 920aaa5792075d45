namespace OrderKit.Returns;

/// <summary>Why a customer sends units back.</summary>
/// <remarks>The first four are the shop's fault (<see cref="ReturnReasons.IsShopFault"/>): the shipping charge is refunded and no restocking fee is taken.</remarks>
public enum ReturnReason
{
    /// <summary>The item does not work.</summary>
    Defective = 0,

    /// <summary>The item arrived damaged.</summary>
    DamagedInTransit = 1,

    /// <summary>Another item was sent than the one ordered.</summary>
    WrongItem = 2,

    /// <summary>The item is not what the shop described.</summary>
    NotAsDescribed = 3,

    /// <summary>The customer no longer wants it.</summary>
    ChangedMind = 4,

    /// <summary>Another reason, given in words.</summary>
    Other = 5,
}
