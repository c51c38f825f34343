namespace Blog.Feedback;

internal static class FeedbackServiceCollectionExtensions
{
    /// <summary>Return paths and the recording of reports; the store is registered by Storage.</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddSingleton<ReturnAddress>();
        services.AddSingleton<FeedbackRecorder>();
        return services;
    }
}
