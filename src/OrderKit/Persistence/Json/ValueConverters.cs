using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Shipping;

namespace OrderKit.Persistence.Json;

/// <summary>Writes a value type that wraps one string as that string.</summary>
internal abstract class StringValueConverter<T> : JsonConverter<T>
{
    public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? Create(reader.GetString()!)
            : throw new JsonException($"Expected a string for {typeof(T).Name}, found {reader.TokenType}.");

    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(ValueOf(value));

    protected abstract T Create(string value);

    protected abstract string ValueOf(T value);
}

internal sealed class SkuConverter : StringValueConverter<Sku>
{
    protected override Sku Create(string value) => new(value);

    protected override string ValueOf(Sku value) => value.Value;
}

internal sealed class OrderIdConverter : StringValueConverter<OrderId>
{
    protected override OrderId Create(string value) => new(value);

    protected override string ValueOf(OrderId value) => value.Value;
}

internal sealed class CustomerIdConverter : StringValueConverter<CustomerId>
{
    protected override CustomerId Create(string value) => new(value);

    protected override string ValueOf(CustomerId value) => value.Value;
}

internal sealed class LocationIdConverter : StringValueConverter<LocationId>
{
    protected override LocationId Create(string value) => new(value);

    protected override string ValueOf(LocationId value) => value.Value;
}

internal sealed class SalesChannelConverter : StringValueConverter<SalesChannel>
{
    protected override SalesChannel Create(string value) => new(value);

    protected override string ValueOf(SalesChannel value) => value.Value;
}

internal sealed class CurrencyConverter : StringValueConverter<Currency>
{
    protected override Currency Create(string value) => Currency.FromCode(value);

    protected override string ValueOf(Currency value) => value.Code;
}

/// <summary>Instants as extended ISO text, exact to the nanosecond.</summary>
internal sealed class InstantConverter : StringValueConverter<Instant>
{
    protected override Instant Create(string value) => InstantPattern.ExtendedIso.Parse(value).GetValueOrThrow();

    protected override string ValueOf(Instant value) => InstantPattern.ExtendedIso.Format(value);
}

internal sealed class LocalDateConverter : StringValueConverter<LocalDate>
{
    protected override LocalDate Create(string value) => LocalDatePattern.Iso.Parse(value).GetValueOrThrow();

    protected override string ValueOf(LocalDate value) => LocalDatePattern.Iso.Format(value);
}

/// <summary>Times of day as ISO text, such as <c>14:30:00</c>.</summary>
internal sealed class LocalTimeConverter : StringValueConverter<LocalTime>
{
    protected override LocalTime Create(string value) => LocalTimePattern.ExtendedIso.Parse(value).GetValueOrThrow();

    protected override string ValueOf(LocalTime value) => LocalTimePattern.ExtendedIso.Format(value);
}

/// <summary>Time zones by their IANA id, such as <c>Europe/Berlin</c>.</summary>
internal sealed class DateTimeZoneConverter : StringValueConverter<DateTimeZone>
{
    protected override DateTimeZone Create(string value) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) ?? throw new JsonException($"\"{value}\" is not a time zone this version of the time zone database knows.");

    protected override string ValueOf(DateTimeZone value) => value.Id;
}

/// <summary>A calendar as its working days and holidays: <c>{"workingDays":["Monday",…],"holidays":["2026-12-25",…]}</c>.</summary>
internal sealed class BusinessCalendarConverter : JsonConverter<BusinessCalendar>
{
    public override BusinessCalendar Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        List<IsoDayOfWeek>? days = null;
        List<LocalDate> holidays = [];
        JsonObjects.Start(ref reader, nameof(BusinessCalendar));
        while (JsonObjects.NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "workingDays":
                    days = [];
                    ReadArray(ref reader, "workingDays", text => days.Add(Enum.TryParse(text, out IsoDayOfWeek day) && Enum.IsDefined(day) && day != IsoDayOfWeek.None
                        ? day
                        : throw new JsonException($"\"{text}\" is not a day of the week.")));
                    break;
                case "holidays":
                    ReadArray(ref reader, "holidays", text => holidays.Add(LocalDatePattern.Iso.Parse(text).GetValueOrThrow()));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new BusinessCalendar(days ?? throw JsonObjects.Missing(nameof(BusinessCalendar), "workingDays"), holidays);
    }

    public override void Write(Utf8JsonWriter writer, BusinessCalendar value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("workingDays");
        foreach (IsoDayOfWeek day in value.WorkingDays)
        {
            writer.WriteStringValue(day.ToString());
        }

        writer.WriteEndArray();
        writer.WriteStartArray("holidays");
        foreach (LocalDate date in value.Holidays)
        {
            writer.WriteStringValue(LocalDatePattern.Iso.Format(date));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void ReadArray(ref Utf8JsonReader reader, string property, Action<string> add)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array for {nameof(BusinessCalendar)}.{property}, found {reader.TokenType}.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected strings in {nameof(BusinessCalendar)}.{property}, found {reader.TokenType}."));
        }
    }
}

internal sealed class QuantityConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt32());

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}

/// <summary>Money as integer minor units with the currency code: <c>{"minor":1999,"currency":"EUR"}</c>.</summary>
internal sealed class MoneyConverter : JsonConverter<Money>
{
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        long? minor = null;
        string? currency = null;
        JsonObjects.Start(ref reader, nameof(Money));
        while (JsonObjects.NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "minor":
                    minor = reader.GetInt64();
                    break;
                case "currency":
                    currency = reader.GetString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return Money.FromMinorUnits(
            minor ?? throw JsonObjects.Missing(nameof(Money), "minor"),
            Currency.FromCode(currency ?? throw JsonObjects.Missing(nameof(Money), "currency")));
    }

    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("minor", value.ToMinorUnits());
        writer.WriteString("currency", value.Currency.Code);
        writer.WriteEndObject();
    }
}

internal sealed class GeoPointConverter : JsonConverter<GeoPoint>
{
    public override GeoPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        double? latitude = null;
        double? longitude = null;
        JsonObjects.Start(ref reader, nameof(GeoPoint));
        while (JsonObjects.NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "latitude":
                    latitude = reader.GetDouble();
                    break;
                case "longitude":
                    longitude = reader.GetDouble();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new GeoPoint(latitude ?? throw JsonObjects.Missing(nameof(GeoPoint), "latitude"), longitude ?? throw JsonObjects.Missing(nameof(GeoPoint), "longitude"));
    }

    public override void Write(Utf8JsonWriter writer, GeoPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("latitude", value.Latitude);
        writer.WriteNumber("longitude", value.Longitude);
        writer.WriteEndObject();
    }
}

/// <summary>An inventory policy by its kind and settings; it is built through its factories, which check them.</summary>
internal sealed class InventoryPolicyConverter : JsonConverter<InventoryPolicy>
{
    public override InventoryPolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? kind = null;
        int? limit = null;
        LocalDate? releaseDate = null;
        LocationId? supplier = null;
        JsonObjects.Start(ref reader, nameof(InventoryPolicy));
        while (JsonObjects.NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "kind":
                    kind = reader.GetString();
                    break;
                case "limit":
                    limit = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                    break;
                case "releaseDate":
                    releaseDate = reader.TokenType == JsonTokenType.Null ? null : LocalDatePattern.Iso.Parse(reader.GetString()!).GetValueOrThrow();
                    break;
                case "supplier":
                    supplier = reader.TokenType == JsonTokenType.Null ? null : new LocationId(reader.GetString()!);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return Enum.TryParse(kind, out InventoryPolicyKind parsed) ? parsed switch
        {
            InventoryPolicyKind.Untracked => InventoryPolicy.Untracked,
            InventoryPolicyKind.DenyWhenShort => InventoryPolicy.DenyWhenShort,
            InventoryPolicyKind.Backorder => InventoryPolicy.Backorder(limit),
            InventoryPolicyKind.Preorder => InventoryPolicy.Preorder(releaseDate ?? throw JsonObjects.Missing(nameof(InventoryPolicy), "releaseDate"), limit),
            InventoryPolicyKind.Dropship => InventoryPolicy.Dropship(supplier ?? throw JsonObjects.Missing(nameof(InventoryPolicy), "supplier")),
            _ => throw new JsonException($"Unknown inventory policy kind \"{kind}\"."),
        } : throw new JsonException($"Unknown inventory policy kind \"{kind}\".");
    }

    public override void Write(Utf8JsonWriter writer, InventoryPolicy value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", value.Kind.ToString());
        if (value.Limit is { } limit)
        {
            writer.WriteNumber("limit", limit);
        }

        if (value.ReleaseDate is { } releaseDate)
        {
            writer.WriteString("releaseDate", LocalDatePattern.Iso.Format(releaseDate));
        }

        if (value.Supplier is { } supplier)
        {
            writer.WriteString("supplier", supplier.Value);
        }

        writer.WriteEndObject();
    }
}

/// <summary>A line allocation through its checking constructor.</summary>
internal sealed class LineAllocationConverter : JsonConverter<LineAllocation>
{
    public override LineAllocation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Sku? sku = null;
        int allocated = 0;
        int backordered = 0;
        LocationId? location = null;
        bool reservesStock = false;
        JsonObjects.Start(ref reader, nameof(LineAllocation));
        while (JsonObjects.NextProperty(ref reader, out string name))
        {
            switch (name)
            {
                case "sku":
                    sku = new Sku(reader.GetString()!);
                    break;
                case "allocated":
                    allocated = reader.GetInt32();
                    break;
                case "backordered":
                    backordered = reader.GetInt32();
                    break;
                case "location":
                    location = reader.TokenType == JsonTokenType.Null ? null : new LocationId(reader.GetString()!);
                    break;
                case "reservesStock":
                    reservesStock = reader.GetBoolean();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new LineAllocation(sku ?? throw JsonObjects.Missing(nameof(LineAllocation), "sku"), allocated, backordered, location, reservesStock);
    }

    public override void Write(Utf8JsonWriter writer, LineAllocation value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("sku", value.Sku.Value);
        writer.WriteNumber("allocated", value.Allocated);
        writer.WriteNumber("backordered", value.Backordered);
        if (value.Location is { } location)
        {
            writer.WriteString("location", location.Value);
        }

        writer.WriteBoolean("reservesStock", value.ReservesStock);
        writer.WriteEndObject();
    }
}

/// <summary>Helpers for converters that read a small object property by property.</summary>
internal static class JsonObjects
{
    /// <summary>Checks that the reader is at the start of an object.</summary>
    public static void Start(ref Utf8JsonReader reader, string typeName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object for {typeName}, found {reader.TokenType}.");
        }
    }

    /// <summary>Moves to the next property's value and gives its name; false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString()!;
        reader.Read();
        return true;
    }

    public static JsonException Missing(string typeName, string property) => new($"{typeName} lacks its \"{property}\" property.");
}
