using System.Data.Common;

namespace OrderKit.Persistence.Sql;

/// <summary>Reads outbox rows (id, payload) into messages, for the stores' <see cref="IOrderKitStore.ReadOutboxAsync"/>.</summary>
internal static class OutboxRows
{
    /// <summary>Runs a command that selects (id, payload text) oldest first, and reads every row.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> ReadAsync(DbCommand command, string where, CancellationToken cancellationToken)
    {
        var messages = new List<OutboxMessage>();
        DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                long id = reader.GetInt64(0);
                messages.Add(new OutboxMessage(id, OrderKitJson.DeserializeEvent(reader.GetString(1), $"outbox message {id}{where}")));
            }
        }

        return messages;
    }
}
