namespace Blog.Tests.Serving;

public sealed class TwoNodesTests
{
    [Fact]
    public async Task Two_instances_on_the_same_content_give_the_same_bytes_etags_and_dates()
    {
        using var folder = new TempFolder();
        var content = Path.Combine(TestSite.RepositoryRoot(), "content", "posts");
        await using var one = await RunningBlog.StartAsync(content, folder.Combine("one"));
        await using var two = await RunningBlog.StartAsync(content, folder.Combine("two"));

        Assert.Equal(one.Site.Documents.Keys.Order(), two.Site.Documents.Keys.Order());
        foreach (var path in one.Site.Documents.Keys)
        {
            using var a = await one.Client.GetAsync(path);
            using var b = await two.Client.GetAsync(path);
            Assert.Equal(await a.Content.ReadAsByteArrayAsync(), await b.Content.ReadAsByteArrayAsync());
            Assert.Equal(a.Headers.ETag, b.Headers.ETag);
            Assert.Equal(a.Content.Headers.LastModified, b.Content.Headers.LastModified);
        }
    }
}
