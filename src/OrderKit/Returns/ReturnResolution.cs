using OrderKit.Internal;

namespace OrderKit.Returns;

/// <summary>How a return was made good, and for how much.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReturnResolution
{
    /// <summary>Creates a resolution.</summary>
    /// <param name="kind">How.</param>
    /// <param name="amount">How much; zero or more.</param>
    /// <param name="note">Staff's note, if any.</param>
    /// <exception cref="ArgumentException">The kind is unknown, the amount missing or negative, or the note blank or too long.</exception>
    public ReturnResolution(ReturnResolutionKind kind, Money amount, string? note = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"kind {(int)kind} is not a ReturnResolutionKind.", nameof(kind));
        }

        if (amount.IsDefault || amount.IsNegative)
        {
            throw new ArgumentException($"amount must be zero or more; got {(amount.IsDefault ? "none" : amount.ToString())}.", nameof(amount));
        }

        Kind = kind;
        Amount = amount;
        Note = note is null ? null : Text.Required(note, nameof(note), ReturnLine.MaxNoteLength);
    }

    /// <summary>Gets how.</summary>
    public ReturnResolutionKind Kind { get; }

    /// <summary>Gets how much.</summary>
    public Money Amount { get; }

    /// <summary>Gets staff's note, if any.</summary>
    public string? Note { get; }

    /// <summary>Gets the order that sends the replacement or exchanged units; null for a refund or store credit.</summary>
    public OrderId? NewOrderId { get; init; }

    /// <summary>Returns the kind and amount, such as <c>Refund EUR 19.99</c>.</summary>
    /// <returns>The resolution as text.</returns>
    public override string ToString() => $"{Kind} {Amount}" + (NewOrderId is { } id ? $" ({id})" : string.Empty);
}
