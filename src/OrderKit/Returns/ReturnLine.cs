using OrderKit.Internal;

namespace OrderKit.Returns;

/// <summary>Units of one SKU a customer asks to return, and why.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReturnLine
{
    /// <summary>The longest note accepted, in characters.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>Creates a return line.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="reason">Why.</param>
    /// <param name="note">The customer's words; required for <see cref="ReturnReason.Other"/>.</param>
    /// <exception cref="ArgumentException">The SKU or quantity is missing, the reason unknown, or a note is blank, too long, or missing for <see cref="ReturnReason.Other"/>.</exception>
    public ReturnLine(Sku sku, Quantity quantity, ReturnReason reason, string? note = null)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException("sku is required.", nameof(sku));
        }

        if (quantity.IsDefault)
        {
            throw new ArgumentException($"quantity must be positive for SKU \"{sku}\".", nameof(quantity));
        }

        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentException($"reason {(int)reason} is not a ReturnReason.", nameof(reason));
        }

        if (reason == ReturnReason.Other && note is null)
        {
            throw new ArgumentException($"A return of SKU \"{sku}\" for reason Other needs a note saying why.", nameof(note));
        }

        Sku = sku;
        Quantity = quantity;
        Reason = reason;
        Note = note is null ? null : Text.Required(note, nameof(note), MaxNoteLength);
    }

    /// <summary>Gets the SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the units.</summary>
    public Quantity Quantity { get; }

    /// <summary>Gets why.</summary>
    public ReturnReason Reason { get; }

    /// <summary>Gets the customer's words, if any.</summary>
    public string? Note { get; }

    /// <summary>Returns the units, SKU and reason, such as <c>1 x PHONE-X (Defective)</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() => $"{Quantity} x {Sku} ({Reason})";
}
