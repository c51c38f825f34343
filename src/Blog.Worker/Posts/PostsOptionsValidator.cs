namespace Blog.Posts;

internal sealed class PostsOptionsValidator : IValidateOptions<PostsOptions>
{
    public ValidateOptionsResult Validate(string? name, PostsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ContentPath))
            return ValidateOptionsResult.Fail("Posts:ContentPath must name the folder of posts (or pass --content DIR).");
        if (options.FolderRequired && !Directory.Exists(options.ContentPath))
            return ValidateOptionsResult.Fail($"Posts:ContentPath: the content folder \"{options.ContentPath}\" does not exist (pass --content DIR, or create it).");
        if (options.RescanInterval < TimeSpan.FromSeconds(1))
            return ValidateOptionsResult.Fail($"Posts:RescanInterval must be at least 00:00:01, but is \"{options.RescanInterval}\".");
        if (options.Debounce < TimeSpan.Zero || options.Debounce > TimeSpan.FromMinutes(1))
            return ValidateOptionsResult.Fail($"Posts:Debounce must be between 00:00:00 and 00:01:00, but is \"{options.Debounce}\".");
        return ValidateOptionsResult.Success;
    }
}
