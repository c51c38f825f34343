using Blog.Mail;
using MimeKit;

namespace Blog.Tests.Mail;

public sealed class PickupFolderTransportTests
{
    private static MimeMessage Message(string id, string text)
    {
        var message = new MimeMessage { MessageId = id, Subject = "s" };
        message.From.Add(MailboxAddress.Parse("news@blog.example.com"));
        message.To.Add(MailboxAddress.Parse("ann@example.com"));
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    [Fact]
    public async Task Each_message_is_one_eml_file_named_after_its_message_id_and_a_resend_replaces_it()
    {
        using var folder = new TempFolder();
        var transport = new PickupFolderTransport(folder.Combine("mail"));
        await transport.SendAsync(Message("confirm.1.2@blog.example.com", "first"), null, CancellationToken.None);
        await transport.SendAsync(Message("confirm.1.2@blog.example.com", "again"), null, CancellationToken.None);
        await transport.SendAsync(Message("a/b+c@x", "other"), null, CancellationToken.None);

        var files = Directory.GetFiles(folder.Combine("mail")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["a_b_c@x.eml", "confirm.1.2@blog.example.com.eml"], files);
        Assert.Equal("again", MimeMessage.Load(folder.Combine("mail", "confirm.1.2@blog.example.com.eml")).TextBody!.Trim());
    }

    [Fact]
    public async Task Mail_files_are_readable_by_the_owner_only_and_so_is_a_folder_the_transport_creates()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        var transport = new PickupFolderTransport(folder.Combine("mail", "out"));
        await transport.SendAsync(Message("a@x", "private"), null, CancellationToken.None);
        await transport.SendAsync(Message("a@x", "private, replaced"), null, CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.Combine("mail", "out", "a@x.eml")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.Combine("mail", "out")));
    }

    [Fact]
    public async Task An_existing_folder_keeps_the_mode_its_owner_gave_it()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempFolder();
        var shared = folder.Combine("shared");
        Directory.CreateDirectory(shared);
        const UnixFileMode groupReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(shared, groupReadable);
        await new PickupFolderTransport(shared).SendAsync(Message("a@x", "t"), null, CancellationToken.None);
        Assert.Equal(groupReadable, File.GetUnixFileMode(shared));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(shared, "a@x.eml")));
    }

    [Fact]
    public async Task A_folder_that_cannot_be_written_is_a_transient_failure()
    {
        using var folder = new TempFolder();
        var blocked = folder.Write("mail", "a file where the folder should be");
        var transport = new PickupFolderTransport(blocked);
        var e = await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(Message("m@x", "t"), null, CancellationToken.None));
        Assert.False(e.Permanent);
        Assert.Contains(blocked, e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_envelope_sender_is_written_first_as_the_return_path_and_none_is_written_without_one()
    {
        using var folder = new TempFolder();
        var transport = new PickupFolderTransport(folder.Combine("mail"));
        await transport.SendAsync(Message("with@x", "t"), new MailboxAddress("", "bounces+m1-2-abc@blog.example.com"), CancellationToken.None);
        await transport.SendAsync(Message("without@x", "t"), null, CancellationToken.None);

        var with = File.ReadAllText(folder.Combine("mail", "with@x.eml"));
        Assert.StartsWith("Return-Path: <bounces+m1-2-abc@blog.example.com>\n", with.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        var read = MimeMessage.Load(folder.Combine("mail", "with@x.eml"));
        Assert.Equal("<bounces+m1-2-abc@blog.example.com>", read.Headers[HeaderId.ReturnPath]);
        Assert.Equal("news@blog.example.com", read.From.Mailboxes.Single().Address);
        Assert.Equal("t", read.TextBody!.Trim());
        Assert.DoesNotContain("Return-Path", File.ReadAllText(folder.Combine("mail", "without@x.eml")), StringComparison.Ordinal);
    }
}
