// The OrderKit storefront sample: an ASP.NET Core minimal API that embeds OrderKit on SQLite. Run it with
//   dotnet run --project samples/OrderKit.Samples.Storefront
// and open /openapi/v1.json for the API description. See README.md beside this file for a walk through with curl.
using OrderKit.Samples.Storefront;

WebApplication app = StorefrontApp.Build(args);
await app.RunAsync();
