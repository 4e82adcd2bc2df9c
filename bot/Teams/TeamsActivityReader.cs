using System.Text.Json;

namespace TheModel.Bot.Teams;

/// <summary>Reads the activity from the request body, within <see cref="TeamsOptions.MaxActivityBytes"/>: the activity or the reply refusing it.</summary>
internal static class TeamsActivityReader
{
    public static async Task<(Activity? Activity, IResult? Refusal)> ReadAsync(HttpContext http, TeamsOptions options, ILogger logger, CancellationToken ct)
    {
        if (http.Request.ContentLength > options.MaxActivityBytes)
        {
            return (null, TooLarge());
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxActivityBytes;
        }
        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(http.Request.Body, Activity.Json, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Malformed Teams activity: {Error}", ex.Message);
            return (null, TypedResults.Problem($"The body is not a valid activity: {ex.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Malformed activity"));
        }
        if (activity?.Type is not { Length: > 0 })
        {
            logger.LogWarning("Teams activity without a type");
            return (null, TypedResults.Problem("The activity has no type.", statusCode: StatusCodes.Status400BadRequest, title: "Malformed activity"));
        }
        return (activity, null);
    }

    private static IResult TooLarge() =>
        TypedResults.Problem("The activity is larger than this bot accepts.", statusCode: StatusCodes.Status413PayloadTooLarge);
}
