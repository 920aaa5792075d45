using System.Globalization;

namespace OrderKit.Internal;

/// <summary>Validation and formatting of the short texts OrderKit stores: identifiers, reasons, names.</summary>
internal static class Text
{
    /// <summary>Checks an identifier: not blank, no surrounding white space, no control characters, not too long.</summary>
    public static string Identifier(string? value, string paramName, int maxLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be blank; got {Quote(value)}.", paramName);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} must be at most {maxLength} characters; got {value.Length}: {Quote(Shorten(value))}.", paramName);
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException($"{paramName} must not start or end with white space; got {Quote(value)}.", paramName);
        }

        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{paramName} must not contain control characters; got {Quote(value)}.", paramName);
            }
        }

        return value;
    }

    /// <summary>Checks a free text such as a reason or a name: required, not blank, not too long.</summary>
    public static string Required(string? value, string paramName, int maxLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be blank; got {Quote(value)}.", paramName);
        }

        if (value.Length > maxLength)
        {
            throw new ArgumentException($"{paramName} must be at most {maxLength} characters; got {value.Length}: {Quote(Shorten(value))}.", paramName);
        }

        return value;
    }

    /// <summary>Checks an optional free text: null stays null, otherwise as <see cref="Required"/>.</summary>
    public static string? Optional(string? value, string paramName, int maxLength) =>
        value is null ? null : Required(value, paramName, maxLength);

    /// <summary>Quotes a value for an exception message, making null and blank values visible.</summary>
    public static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";

    /// <summary>Formats an integer with the invariant culture.</summary>
    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 40), "…");
}
