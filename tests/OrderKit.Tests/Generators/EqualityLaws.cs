namespace OrderKit.Tests.Generators;

/// <summary>Checks that a type's equality, hash and operators agree with each other.</summary>
internal static class EqualityLaws
{
    public static bool Hold<T>(T a, T b, Func<T, T, bool> equalsOperator, Func<T, T, bool> notEqualsOperator)
        where T : IEquatable<T>
    {
        bool equal = a.Equals(b);
        return equal == b.Equals(a)
            && equal == Equals(a, b)
            && equal == equalsOperator(a, b)
            && equal != notEqualsOperator(a, b)
            && (!equal || a.GetHashCode() == b.GetHashCode())
            && a.Equals(a);
    }

    public static bool OrderingHolds<T>(T a, T b)
        where T : IComparable<T>, IEquatable<T>
    {
        int ab = a.CompareTo(b);
        int ba = b.CompareTo(a);
        return Math.Sign(ab) == -Math.Sign(ba) && (ab == 0) == a.Equals(b);
    }
}
