using Microsoft.Extensions.Hosting;

namespace Blog.Storage;

/// <summary>Opens and migrates the database as the service starts, so a bad one stops it there with a message.</summary>
internal sealed class StorageStartup(Database database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
