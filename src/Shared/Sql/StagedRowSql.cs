namespace OrderKit.Persistence.Sql;

/// <summary>The statements of one row each that a unit of work's staged writes go as (see <see cref="SqlDialect.WritesStagedRows"/>), with positional placeholders.</summary>
/// <param name="CellUpdate">The conditional update of one stock cell: sku, location, on-hand, reserved and damaged changes; it changes no row when the movement does not fit.</param>
/// <param name="OrderInsert">A new order, its columns in <see cref="SqlTransaction.OrderColumns"/> order; it inserts no row when the identifier is taken.</param>
/// <param name="LedgerInsert">A ledger row, its columns as staged.</param>
/// <param name="OutboxInsert">An outbox message, its columns as staged.</param>
internal sealed record StagedRowSql(string CellUpdate, string OrderInsert, string LedgerInsert, string OutboxInsert)
{
    /// <summary>The statements in a dialect's tables.</summary>
    public static StagedRowSql For(SqlDialect dialect)
    {
        string t = dialect.Tables;
        return new StagedRowSql(
            $"UPDATE {t}stock SET on_hand = on_hand + ?3, reserved = reserved + ?4, damaged = damaged + ?5 WHERE sku = ?1 AND location = ?2 AND {SqlTransaction.FitsSql(cell: string.Empty, dh: "?3", dr: "?4", dd: "?5")}",
            $"INSERT INTO {t}orders ({SqlTransaction.OrderColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, {dialect.Json("?10")}, ?11, ?12) ON CONFLICT (id) DO NOTHING",
            $"INSERT INTO {t}ledger ({SqlTransaction.LedgerColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            $"INSERT INTO {t}outbox ({SqlTransaction.OutboxColumns}) VALUES (?1, ?2, ?3, ?4, {dialect.Json("?5")})");
    }
}
