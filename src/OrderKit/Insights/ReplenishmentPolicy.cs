using NodaTime;

namespace OrderKit.Insights;

/// <summary>How the <see cref="ReplenishmentAdvisor"/> reads demand and plans supply.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReplenishmentPolicy
{
    /// <summary>Gets how far back demand is measured; 28 days unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public Duration DemandWindow
    {
        get;
        init
        {
            if (value <= Duration.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(DemandWindow), value, "The demand window must be positive.");
            }

            field = value;
        }
    } = Duration.FromDays(28);

    /// <summary>Gets the days from ordering stock to its arrival; 7 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 365.</exception>
    public int LeadTimeDays
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(LeadTimeDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 365, nameof(LeadTimeDays));
            field = value;
        }
    } = 7;

    /// <summary>Gets the days of demand a delivery should cover beyond the lead time (the time until the next order); 14 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 365.</exception>
    public int CoverDays
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(CoverDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 365, nameof(CoverDays));
            field = value;
        }
    } = 14;
}
