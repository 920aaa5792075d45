using System.Data.Common;

namespace OrderKit.Persistence.Sql;

/// <summary>Commands kept for one long-lived connection, one per SQL text, so each statement is prepared once and then only bound and run.</summary>
/// <remarks>
/// Microsoft.Data.Sqlite prepares a statement per command object and keeps it only while the object lives; a store
/// that runs every unit of work on one connection keeps the objects here. Not thread-safe: the store lets one unit of
/// work at a time use the connection.
/// </remarks>
internal sealed class CommandCache : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the row statements prepared on the connection, where the store writes staged rows that way (see <see cref="SqlDialect.WritesStagedRows"/>); disposed with the cache.</summary>
    public RowStatements? Rows { get; set; }

    /// <summary>The command for a SQL text on the connection, with the parameters of its last use; made on first use.</summary>
    public DbCommand Get(DbConnection connection, string sql)
    {
        if (!_commands.TryGetValue(sql, out DbCommand? command) || command.Connection != connection)
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DbCommand command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
        Rows?.Dispose();
        Rows = null;
    }
}
