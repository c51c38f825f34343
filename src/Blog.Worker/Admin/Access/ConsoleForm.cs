using Microsoft.AspNetCore.Http;

namespace Blog.Admin.Access;

/// <summary>A console form's fields, as the antiforgery check already read them: bounded there (<see cref="AdminServiceCollectionExtensions.UseAdmin"/>).</summary>
internal static class ConsoleForm
{
    public static async Task<IFormCollection> ReadAsync(HttpContext context) =>
        context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;

    /// <summary>One field's value, at most <paramref name="max"/> characters (longer is taken as absent: no name or password is that long).</summary>
    public static string Field(IFormCollection form, string name, int max = 1024) =>
        form[name].ToString() is { } value && value.Length <= max ? value : "";
}
