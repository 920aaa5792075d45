using System.Runtime.CompilerServices;

namespace OrderKit.Internal;

/// <summary>
/// Builds a check's failure message only when the check fails, so that a check that passes formats nothing and
/// allocates nothing. Use it as the message parameter of a method that takes the condition first, marked
/// <c>[InterpolatedStringHandlerArgument("condition")]</c>.
/// </summary>
[InterpolatedStringHandler]
internal ref struct FailureMessageHandler
{
    private DefaultInterpolatedStringHandler _builder;

    public FailureMessageHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        shouldAppend = !condition;
        _builder = shouldAppend ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _builder.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _builder.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _builder.AppendFormatted(value, format);

    public void AppendFormatted(string? value) => _builder.AppendFormatted(value);

    public string ToStringAndClear() => _builder.ToStringAndClear();
}
