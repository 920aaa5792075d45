using System.Diagnostics.CodeAnalysis;
using OrderKit.Persistence;

namespace OrderKit.Events;

/// <summary>Delivers committed events from the store's outbox to the registered <see cref="IOrderEventHandler"/>s, at least once each.</summary>
/// <remarks>
/// <para>Run it in the host: call <see cref="RunAsync"/> from a background loop or an ASP.NET Core hosted service,
/// or call <see cref="DeliverPendingAsync"/> when convenient (after each command in a console program, at the end of
/// a test). A message is marked delivered only after every handler has taken it, so a crash or a failing handler
/// means a repeat, never a loss. When a handler fails on an event, the later events of the same order wait behind it,
/// and the events of other orders go on.</para>
/// <para>Thread safety: thread-safe; passes never overlap within one relay. Run one relay per store.</para>
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never creates its wait handle, so there is nothing to dispose.")]
public sealed class OutboxRelay
{
    private readonly IOrderKitStore _store;
    private readonly IOrderEventHandler[] _handlers;
    private readonly OrderKitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>Creates a relay.</summary>
    /// <param name="store">The store whose outbox to deliver.</param>
    /// <param name="handlers">The handlers every event is given to, in this order.</param>
    /// <param name="options">The options: batch size, poll interval, failure callback.</param>
    /// <param name="timeProvider">What <see cref="RunAsync"/> waits with; the system's when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/>, <paramref name="handlers"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OutboxRelay(IOrderKitStore store, IEnumerable<IOrderEventHandler> handlers, OrderKitOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _handlers = [.. handlers];
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = options.LoggerFor<OutboxRelay>();
    }

    /// <summary>Delivers every message waiting in the outbox now, batch by batch, and returns.</summary>
    /// <param name="cancellationToken">Stops the pass; messages not yet marked are delivered again by a later pass.</param>
    /// <returns>What was delivered and what failed.</returns>
    public async Task<OutboxDeliveryResult> DeliverPendingAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int delivered = 0;
            var failures = new List<OutboxDeliveryFailure>();
            while (true)
            {
                IReadOnlyList<OutboxMessage> batch = await _store.ReadOutboxAsync(_options.OutboxBatchSize, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    break;
                }

                List<long> done = await DeliverBatchAsync(batch, failures, cancellationToken).ConfigureAwait(false);
                if (done.Count > 0)
                {
                    await _store.MarkDeliveredAsync(done, cancellationToken).ConfigureAwait(false);
                    delivered += done.Count;
                }

                // A short batch means the outbox is drained; a failure means what is left waits for the next pass.
                if (batch.Count < _options.OutboxBatchSize || done.Count < batch.Count)
                {
                    break;
                }
            }

            return new OutboxDeliveryResult(delivered, failures);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Delivers until cancelled, waiting <see cref="OrderKitOptions.OutboxPollInterval"/> whenever there was nothing to deliver or a delivery failed.</summary>
    /// <param name="cancellationToken">Stops the relay.</param>
    /// <returns>A task that completes when the relay has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            OutboxDeliveryResult result;
            try
            {
                result = await DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (result.Delivered == 0 || result.Failures.Count > 0)
            {
                try
                {
                    await Task.Delay(_options.OutboxPollInterval.ToTimeSpan(), _timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task<List<long>> DeliverBatchAsync(IReadOnlyList<OutboxMessage> batch, List<OutboxDeliveryFailure> failures, CancellationToken cancellationToken)
    {
        var done = new List<long>(batch.Count);
        HashSet<OrderId>? blocked = null;
        foreach (OutboxMessage message in batch)
        {
            if (blocked is not null && blocked.Contains(message.Event.OrderId))
            {
                continue;
            }

            try
            {
                foreach (IOrderEventHandler handler in _handlers)
                {
                    await handler.HandleAsync(message.Event, cancellationToken).ConfigureAwait(false);
                }

                Internal.Telemetry.RecordOutboxLag(message.Event.OccurredAt, NodaTime.Instant.FromDateTimeOffset(_timeProvider.GetUtcNow()));
                done.Add(message.Id);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Internal.Log.OutboxDeliveryFailed(_logger, exception, message.Event.Name, message.Event.Sequence, message.Event.OrderId);
                var failure = new OutboxDeliveryFailure(message, exception);
                failures.Add(failure);
                (blocked ??= []).Add(message.Event.OrderId);
                _options.OutboxDeliveryFailed?.Invoke(failure);
            }
        }

        Internal.Log.OutboxPass(_logger, done.Count, failures.Count);
        return done;
    }
}
