using OrderKit.Internal;

namespace OrderKit.Persistence;

/// <summary>The rules for the keys of <see cref="IInbox"/>, for stores to check before they write.</summary>
/// <remarks>Thread safety: stateless and thread-safe.</remarks>
public static class InboxKey
{
    /// <summary>The longest source accepted, in characters.</summary>
    public const int MaxSourceLength = 100;

    /// <summary>The longest message identifier accepted, in characters.</summary>
    public const int MaxMessageIdLength = 255;

    /// <summary>Checks a source and a message identifier.</summary>
    /// <param name="source">Where the message comes from.</param>
    /// <param name="messageId">The sender's identifier of the message.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An argument is empty, only white space, or too long.</exception>
    public static void Check(string source, string messageId)
    {
        Text.Required(source, nameof(source), MaxSourceLength);
        Text.Required(messageId, nameof(messageId), MaxMessageIdLength);
    }
}
