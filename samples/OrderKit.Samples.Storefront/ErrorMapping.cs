using Microsoft.AspNetCore.Mvc;
using OrderKit.Fulfillment;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;

namespace OrderKit.Samples.Storefront;

/// <summary>Turns OrderKit's exceptions into problem details: bad input 400, unknown order 404, a refused action 409.</summary>
internal sealed class ErrorMapping(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (StatusOf(exception) is { } status && !context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(
                new ProblemDetails { Status = status, Title = exception.GetType().Name, Detail = exception.Message },
                options: null,
                contentType: "application/problem+json");
        }
    }

    private static int? StatusOf(Exception exception) => exception switch
    {
        OrderNotFoundException => StatusCodes.Status404NotFound,
        IdempotencyKeyMismatchException => StatusCodes.Status422UnprocessableEntity,
        InvalidOrderTransitionException or InvalidShipmentTransitionException or InvalidReturnTransitionException => StatusCodes.Status409Conflict,
        ConcurrencyConflictException => StatusCodes.Status409Conflict,
        ArgumentException or System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
        _ => null,
    };
}
