using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrderKit.Samples.Storefront;

namespace OrderKit.Samples.Tests;

/// <summary>Starts the storefront sample on 127.0.0.1 over a fresh SQLite file and drives orders through its HTTP API.</summary>
public sealed class StorefrontTests : IAsyncLifetime, IDisposable
{
    private const string Secret = "shared-with-the-carrier";
    private const string StaffKey = "kept-by-the-staff";

    /// <summary>A checkout of one phone, paid in full, shipped standard.</summary>
    private static readonly object s_checkout = new
    {
        customerId = "CUST-1",
        channel = "web",
        shippingAddress = new { recipient = "Ada Lovelace", line1 = "Unter den Linden 1", city = "Berlin", postalCode = "10117", countryCode = "DE" },
        currency = "EUR",
        lines = new[] { new { sku = "PHONE-X", quantity = 1, unitPrice = 499m } },
        shippingCharge = 4.90m,
        authorizedAmount = 503.90m,
        shippingService = "standard",
    };

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"orderkit-storefront-{Guid.NewGuid():N}.db");
    private WebApplication? _app;
    private HttpClient _http = null!;

    public Task InitializeAsync() => StartAsync();

    private async Task StartAsync()
    {
        _app = StorefrontApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration["ConnectionStrings:OrderKit"] = $"Data Source={_database}";
            builder.Configuration["Storefront:WebhookSecret"] = Secret;
            builder.Configuration["Storefront:StaffKey"] = StaffKey;
        });
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", StaffKey);
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnOrder_GoesFromCheckoutToDelivery_AReturn_AndAReplacement_OverHttp()
    {
        await PostAsync("/stock/PHONE-X/receive", new { location = "BER", quantity = 3, reference = "PO-1" });
        object checkout = s_checkout;

        // Checkout with an idempotency key; the retry returns the same order.
        using var first = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(checkout) };
        first.Headers.Add("Idempotency-Key", "checkout-1");
        HttpResponseMessage created = await _http.SendAsync(first);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement order = await created.Content.ReadFromJsonAsync<JsonElement>();
        string id = order.GetProperty("id").GetString()!;
        using var again = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = JsonContent.Create(checkout) };
        again.Headers.Add("Idempotency-Key", "checkout-1");
        HttpResponseMessage replayed = await _http.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal(id, (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal("Allocated", order.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(order.GetProperty("shipBy").GetString()));

        // Staff: shipments, pick, pack, label, ship.
        await PostAsync($"/orders/{id}/shipments");
        await PostAsync($"/orders/{id}/shipments/1/pick");
        await PostAsync($"/orders/{id}/shipments/1/pack", new { weightKg = 0.4m });
        await PostAsync($"/orders/{id}/shipments/1/label", new { carrier = "post", service = "standard" });
        JsonElement shipped = await PostAsync($"/orders/{id}/shipments/1/ship");
        Assert.Equal("Shipped", shipped.GetProperty("status").GetString());
        string tracking = shipped.GetProperty("shipments")[0].GetProperty("tracking").GetString()!;

        // The carrier's webhook says delivered, twice: the second is a repeat.
        object delivered = new { trackingNumber = tracking, status = "Delivered", occurredAt = DateTimeOffset.UtcNow, eventId = "evt-1", rawStatus = "DL", place = "Berlin" };
        Assert.Equal("Applied", (await PostSignedAsync("/webhooks/carriers/post", delivered)).GetProperty("outcome").GetString());
        Assert.Equal("Repeat", (await PostSignedAsync("/webhooks/carriers/post", delivered)).GetProperty("outcome").GetString());
        JsonElement view = await _http.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("Delivered", view.GetProperty("status").GetString());
        Assert.Contains(view.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("name").GetString() == "ShipmentDelivered");

        // The phone is defective: return, receive into quarantine, inspect, replace.
        await PostAsync($"/orders/{id}/returns", new { lines = new[] { new { sku = "PHONE-X", quantity = 1, reason = "Defective", note = "black screen" } } });
        await PostAsync($"/orders/{id}/returns/1/authorize");
        await PostAsync($"/orders/{id}/returns/1/receive", new { location = "BER", disposition = "Quarantine" });
        await PostAsync($"/orders/{id}/returns/1/inspect", new { finding = "display fault confirmed" });
        JsonElement replaced = await PostAsync($"/orders/{id}/returns/1/replace");
        Assert.Equal(id, replaced.GetProperty("replacement").GetProperty("replacementFor").GetString());
        Assert.Equal("Allocated", replaced.GetProperty("replacement").GetProperty("status").GetString());
        JsonElement stock = (await _http.GetFromJsonAsync<JsonElement>("/stock/PHONE-X"))[0];
        Assert.Equal((2, 1, 1), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32(), stock.GetProperty("damaged").GetInt32()));

        // The outbox relay runs as a hosted service and feeds the insights.
        JsonElement insights = default;
        for (int i = 0; i < 100; i++)
        {
            insights = await _http.GetFromJsonAsync<JsonElement>("/insights");
            // The relay delivers in batches: wait for the replacement's placement as well as the delivery.
            if (insights.GetProperty("delivered").GetInt32() >= 1 && insights.GetProperty("orders").GetInt32() >= 2)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(2, insights.GetProperty("orders").GetInt32());
        Assert.Equal(1, insights.GetProperty("delivered").GetInt32());
    }

    [Fact]
    public async Task TheInsights_AreLoadedFromTheDatabase_WhenTheStorefrontStartsAgain()
    {
        await PostAsync("/stock/PHONE-X/receive", new { location = "BER", quantity = 3, reference = "PO-1" });
        await PostAsync("/orders", s_checkout);

        // A new process over the same database: its insights start empty and are loaded before the host has started.
        await _app!.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        await StartAsync();
        JsonElement insights = await _http.GetFromJsonAsync<JsonElement>("/insights");

        Assert.Equal(1, insights.GetProperty("orders").GetInt32());
        Assert.Equal(1.0, insights.GetProperty("firstTimeFillRate").GetDouble());
    }

    [Fact]
    public async Task AWebhookNotSignedWithTheSharedSecret_IsRefused_AndChangesNothing()
    {
        object delivered = new { trackingNumber = "POST-1", status = "Delivered", occurredAt = DateTimeOffset.UtcNow, eventId = "evt-1" };
        foreach (string? secret in new[] { null, "guessed" })
        {
            using HttpResponseMessage refused = await _http.SendAsync(Signed("/webhooks/carriers/post", delivered, secret));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("X-Signature", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // Signed, it reaches OrderKit, which knows no such tracking number.
        Assert.Equal("UnknownTrackingNumber", (await PostSignedAsync("/webhooks/carriers/post", delivered)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task StaffActions_WithoutTheStaffKey_AreAnswered401_AndChangeNothing()
    {
        await PostAsync("/stock/MUG/receive", new { location = "BER", quantity = 2 });
        using var customer = new HttpClient { BaseAddress = _http.BaseAddress };

        // A customer may check out and read the order, but not act as staff on it.
        HttpResponseMessage placed = await customer.PostAsJsonAsync("/orders", AMug("CUST-9"));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        string id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.PostAsJsonAsync($"/orders/{id}/cancel", new { reason = "not mine to cancel" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.PostAsJsonAsync("/stock/MUG/receive", new { location = "BER", quantity = 100 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.GetAsync("/insights")).StatusCode);
        customer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guessed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.PostAsJsonAsync($"/orders/{id}/cancel", new { reason = "a guess" })).StatusCode);

        JsonElement order = await customer.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("Pending", order.GetProperty("status").GetString());
        Assert.Equal(2, (await _http.GetFromJsonAsync<JsonElement>("/stock/MUG"))[0].GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task ACustomersOrders_ComeNewestFirst_APageAtATime()
    {
        var placed = new List<string>();
        foreach (string customer in new[] { "CUST-7", "CUST-8", "CUST-7", "CUST-7" })
        {
            HttpResponseMessage response = await _http.PostAsJsonAsync("/orders", AMug(customer));
            string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            if (customer == "CUST-7")
            {
                placed.Add(id);
            }
        }

        var walked = new List<string>();
        string? next = "/customers/CUST-7/orders?limit=2";
        while (next is not null)
        {
            JsonElement page = await _http.GetFromJsonAsync<JsonElement>(next);
            walked.AddRange(page.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("id").GetString()!));
            next = page.GetProperty("next").GetString();
        }

        placed.Reverse();
        Assert.Equal(placed, walked);
        HttpResponseMessage othersCursor = await _http.GetAsync($"/customers/CUST-8/orders?after={placed[0]}");
        Assert.Equal(HttpStatusCode.BadRequest, othersCursor.StatusCode);
    }

    [Fact]
    public async Task Problems_AreAnsweredWithTheRightStatus_AndADetail()
    {
        HttpResponseMessage missing = await _http.GetAsync("/orders/ord_nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        HttpResponseMessage bad = await _http.PostAsJsonAsync("/orders", new
        {
            customerId = "CUST-1",
            channel = "web",
            shippingAddress = new { recipient = "A", line1 = "B", city = "C", postalCode = "1", countryCode = "DE" },
            currency = "EUR",
            lines = Array.Empty<object>(),
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("at least one line", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        HttpResponseMessage placed = await _http.PostAsJsonAsync("/orders", AMug("CUST-2"));
        string id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        HttpResponseMessage refused = await _http.PostAsync($"/orders/{id}/shipments/1/ship", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await _http.PostAsJsonAsync($"/orders/{id}/cancel", new { reason = "test" });
        HttpResponseMessage conflict = await _http.PostAsJsonAsync($"/orders/{id}/confirm", new { amount = 10m });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        HttpResponseMessage openApi = await _http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Contains("/orders/{id}", await openApi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Posts a webhook as the carrier would: the JSON body signed with the shared secret.</summary>
    private async Task<JsonElement> PostSignedAsync(string path, object body)
    {
        using HttpResponseMessage response = await _http.SendAsync(Signed(path, body, Secret));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static HttpRequestMessage Signed(string path, object body, string? secret)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(body, JsonSerializerOptions.Web);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(json) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            request.Headers.Add("X-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), json)));
        }

        return request;
    }

    /// <summary>A checkout of one mug, unpaid.</summary>
    private static object AMug(string customerId) => new
    {
        customerId,
        channel = "web",
        shippingAddress = new { recipient = "A", line1 = "B", city = "C", postalCode = "1", countryCode = "DE" },
        currency = "EUR",
        lines = new[] { new { sku = "MUG", quantity = 1, unitPrice = 10m } },
    };

    private async Task<JsonElement> PostAsync(string path, object? body = null)
    {
        HttpResponseMessage response = body is null ? await _http.PostAsync(path, null) : await _http.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
