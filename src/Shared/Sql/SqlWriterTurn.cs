using System.Data.Common;

namespace OrderKit.Persistence.Sql;

/// <summary>The writer's turn a unit of work that began by reading takes at its first write: the transaction its writes and commit run in.</summary>
/// <param name="Connection">The connection the transaction is on.</param>
/// <param name="Transaction">A transaction that may write.</param>
/// <param name="Commands">The commands kept for the connection, or null when it is the unit of work's own.</param>
/// <param name="OnEnd">Runs once the unit of work has ended, to give the turn back.</param>
/// <param name="Shared">The transaction holds other units of work's commits too: the writer commits or rolls it back, not the unit of work.</param>
internal sealed record SqlWriterTurn(DbConnection Connection, DbTransaction Transaction, CommandCache? Commands, Func<ValueTask>? OnEnd, bool Shared = false);
