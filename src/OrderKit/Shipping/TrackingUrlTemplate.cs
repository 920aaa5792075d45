namespace OrderKit.Shipping;

/// <summary>A carrier's tracking page address with a place for the tracking number, such as <c>https://track.example.com/?n={trackingNumber}</c>.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class TrackingUrlTemplate
{
    /// <summary>The placeholder replaced by the tracking number.</summary>
    public const string Placeholder = "{trackingNumber}";

    private readonly string _template;

    /// <summary>Creates a template.</summary>
    /// <param name="template">An absolute http or https address containing <see cref="Placeholder"/>.</param>
    /// <exception cref="ArgumentException">The template lacks the placeholder or does not make an absolute http(s) address.</exception>
    public TrackingUrlTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.Contains(Placeholder, StringComparison.Ordinal))
        {
            throw new ArgumentException($"template \"{template}\" has no {Placeholder}.", nameof(template));
        }

        if (!Uri.TryCreate(template.Replace(Placeholder, "X", StringComparison.Ordinal), UriKind.Absolute, out Uri? sample) || sample.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"template \"{template}\" is not an absolute http or https address.", nameof(template));
        }

        _template = template;
    }

    /// <summary>Returns the tracking page of a tracking number.</summary>
    /// <param name="trackingNumber">The tracking number; escaped into the address.</param>
    /// <returns>The address.</returns>
    public Uri For(string trackingNumber)
    {
        ArgumentNullException.ThrowIfNull(trackingNumber);
        return new Uri(_template.Replace(Placeholder, Uri.EscapeDataString(trackingNumber), StringComparison.Ordinal), UriKind.Absolute);
    }

    /// <summary>Returns the template.</summary>
    /// <returns>The template text.</returns>
    public override string ToString() => _template;
}
