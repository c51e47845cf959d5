using Microsoft.AspNetCore.Http.HttpResults;

namespace Msme.Portal.Features.Api;

/// <summary>A page of a list: <c>{ items, page, pageSize, total }</c>; pages count from 1.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Paging parameters shared by every list: page from 1, page size 1 to <see cref="MaxPageSize"/>.</summary>
public static class ApiPaging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>The zero-based page index and size, or a 400 naming what is wrong.</summary>
    public static (int Index, int Size, ValidationProblem? Problem) Check(int? page, int? pageSize, Dictionary<string, string[]>? errors = null)
    {
        errors ??= [];
        var p = page ?? 1;
        var s = pageSize ?? DefaultPageSize;
        if (p < 1)
        {
            errors["page"] = ["page counts from 1"];
        }
        if (s is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}"];
        }
        return (p - 1, s, errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The request has invalid values"));
    }
}

/// <summary>The ProblemDetails answers the API gives besides 401/403 (which the authentication handler writes).</summary>
public static class ApiProblems
{
    /// <summary>404 for a customer that does not exist or is outside the caller's portfolio: the two are not told apart.</summary>
    public static ProblemHttpResult CustomerNotFound(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No customer {id} is visible to this client.");

    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request has invalid values");
}
