namespace OrderKit.Shipping;

/// <summary>How <see cref="CarrierRegistry.SelectRateAsync"/> chooses among the rates of every carrier.</summary>
public enum CarrierSelectionPolicy
{
    /// <summary>The lowest price; ties go to the fewest transit days, then to the carrier and service names.</summary>
    Cheapest = 0,

    /// <summary>The fewest transit days; ties go to the lowest price.</summary>
    Fastest = 1,

    /// <summary>The lowest price among the rates that arrive by the promised date; the fastest when none does.</summary>
    CheapestOnTime = 2,
}
