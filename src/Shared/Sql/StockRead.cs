using System.Globalization;

namespace OrderKit.Persistence.Sql;

/// <summary>The three queries, one round trip, that read several SKUs' stock: their policies, their expected arrivals, and every location with the SKUs' cells in it; where the schema keeps it, the stock catalog's version before them.</summary>
/// <param name="Sql">The queries, their parameters named as in <paramref name="Names"/>.</param>
/// <param name="Names">The parameters' names, one per SKU in order: <c>s0</c>, <c>s1</c>, ….</param>
internal sealed record StockRead(string Sql, string[] Names)
{
    /// <summary>The read of <paramref name="count"/> SKUs in a dialect's tables.</summary>
    /// <param name="tables">The tables' prefix.</param>
    /// <param name="count">The number of SKUs.</param>
    /// <param name="catalog">Whether to read the stock catalog's version first: read before the rest, it is never newer than what they read.</param>
    public static StockRead For(string tables, int count, bool catalog)
    {
        string[] names = [.. Enumerable.Range(0, count).Select(i => "s" + i.ToString(CultureInfo.InvariantCulture))];
        string list = string.Join(", ", names.Select(n => "@" + n));
        return new StockRead(
            (catalog ? $"SELECT version FROM {tables}stock_catalog; " : string.Empty) +
            $"SELECT sku, policy FROM {tables}skus WHERE sku IN ({list}); " +
            $"SELECT sku, location, quantity, expected_on FROM {tables}incoming WHERE sku IN ({list}) ORDER BY sku, location, position; " +
            $"SELECT l.id, s.sku, s.on_hand, s.reserved, s.safety_stock, s.damaged, l.document FROM {tables}locations l LEFT JOIN {tables}stock s ON s.location = l.id AND s.sku IN ({list}) ORDER BY l.position",
            names);
    }
}
