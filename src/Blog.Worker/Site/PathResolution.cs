namespace Blog.Site;

/// <summary>
/// Settings name folders relative to the working directory, as a command-line user expects; they are made
/// absolute once, at start, so nothing later depends on where the process happens to be.
/// </summary>
internal static class PathResolution
{
    public static string Absolute(string path) =>
        string.IsNullOrWhiteSpace(path) ? path : Path.GetFullPath(path.Trim(), Directory.GetCurrentDirectory());
}
