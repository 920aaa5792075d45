namespace OrderKit.Persistence.Sql;

/// <summary>
/// Statements of one row each, prepared once on a connection and then only bound by position and run: the way an
/// embedded database takes the staged writes of a unit of work, with no SQL text, parameter names or command objects
/// made per write.
/// </summary>
/// <remarks>Not thread-safe: used only in the writer's turn on the connection it was made for.</remarks>
internal abstract class RowStatements : IDisposable
{
    /// <summary>Runs a statement whose placeholders are <c>?1</c>, <c>?2</c>, …, one for each value, and returns the rows it changed.</summary>
    /// <param name="sql">The statement; the same text finds the same prepared statement.</param>
    /// <param name="values">The values in placeholder order: null, <see cref="int"/>, <see cref="long"/>, <see cref="string"/>, or UTF-8 text as a <see cref="byte"/> array.</param>
    /// <returns>The rows the statement inserted, updated or deleted.</returns>
    /// <exception cref="System.Data.Common.DbException">The database refused the statement.</exception>
    public abstract int Execute(string sql, ReadOnlySpan<object?> values);

    /// <summary>Finalizes the prepared statements; before the connection closes.</summary>
    public abstract void Dispose();
}
