using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;

namespace OrderKit.Persistence.Sql;

/// <summary>
/// SQL written with named parameters (<c>@name</c>) and statements separated by semicolons, turned once per text into
/// statements with positional placeholders (<c>$1</c>, <c>$2</c>, …), sent as one batch of one command per statement.
/// A driver that would otherwise rewrite the named placeholders of every command it runs (Npgsql does) then runs
/// them as written, and the parameters need no names.
/// </summary>
/// <remarks>
/// Only for the SQL this engine writes: single-quoted literals may hold anything, but there are no dollar-quoted
/// strings, comments or <c>@</c> operators.
/// </remarks>
internal static class PositionalStatements
{
    /// <summary>Texts kept at most; past it a text is turned each time it runs (the texts are a few shapes, by row count).</summary>
    private const int MaxKept = 4_096;

    private static readonly ConcurrentDictionary<string, Statement[]> s_kept = new(StringComparer.Ordinal);

    /// <summary>Creates the batch for a text and its parameters, on a connection and in a transaction.</summary>
    /// <exception cref="InvalidOperationException">A statement names a parameter that is not given.</exception>
    public static DbBatch Batch(DbConnection connection, DbTransaction transaction, string sql, (string Name, object? Value)[] parameters)
    {
        Statement[] statements = Of(sql);
        DbBatch batch = connection.CreateBatch();
        try
        {
            Fill(batch, transaction, statements, sql, parameters);
        }
        catch
        {
            batch.Dispose();
            throw;
        }

        return batch;
    }

    private static void Fill(DbBatch batch, DbTransaction transaction, Statement[] statements, string sql, (string Name, object? Value)[] parameters)
    {
        batch.Transaction = transaction;
        int next = 0;
        foreach (Statement statement in statements)
        {
            DbBatchCommand command = batch.CreateBatchCommand();
            command.CommandText = statement.Text;
            foreach (string name in statement.Parameters)
            {
                DbParameter parameter = command.CreateParameter();
                parameter.Value = ValueOf(parameters, name, ref next, sql) ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>The statements of a text, kept after the first time.</summary>
    internal static Statement[] Of(string sql)
    {
        if (s_kept.TryGetValue(sql, out Statement[]? statements))
        {
            return statements;
        }

        statements = Split(sql);
        if (s_kept.Count < MaxKept)
        {
            s_kept.TryAdd(sql, statements);
        }

        return statements;
    }

    /// <summary>The value of a named parameter, looked for from <paramref name="next"/> on: the engine gives them in the order the text names them.</summary>
    private static object? ValueOf((string Name, object? Value)[] parameters, string name, ref int next, string sql)
    {
        for (int k = 0; k < parameters.Length; k++)
        {
            int i = (next + k) % parameters.Length;
            if (parameters[i].Name == name)
            {
                next = i + 1;
                return parameters[i].Value;
            }
        }

        throw new InvalidOperationException($"The SQL names the parameter @{name}, which is not given: {sql}");
    }

    private static Statement[] Split(string sql)
    {
        var statements = new List<Statement>();
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        bool quoted = false;
        for (int i = 0; i < sql.Length; i++)
        {
            char c = sql[i];
            if (c == '\'')
            {
                quoted = !quoted;
                text.Append(c);
            }
            else if (quoted)
            {
                text.Append(c);
            }
            else if (c == ';')
            {
                Add(statements, text, names);
            }
            else if (c == '@' && i + 1 < sql.Length && IsNameChar(sql[i + 1]))
            {
                int start = i + 1;
                int end = start;
                while (end < sql.Length && IsNameChar(sql[end]))
                {
                    end++;
                }

                string name = sql[start..end];
                int position = names.IndexOf(name);
                if (position < 0)
                {
                    names.Add(name);
                    position = names.Count - 1;
                }

                text.Append('$').Append(position + 1);
                i = end - 1;
            }
            else
            {
                text.Append(c);
            }
        }

        Add(statements, text, names);
        return [.. statements];
    }

    private static void Add(List<Statement> statements, StringBuilder text, List<string> names)
    {
        string statement = text.ToString().Trim();
        if (statement.Length > 0)
        {
            statements.Add(new Statement(statement, [.. names]));
        }

        text.Clear();
        names.Clear();
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>One statement: its text with positional placeholders, and the name of the parameter for each, in order.</summary>
    internal sealed record Statement(string Text, string[] Parameters);
}
