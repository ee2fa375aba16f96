using System.Runtime.InteropServices;
using EdgeSegSubscriber;

SubscriberOptions options;
try
{
    options = SubscriberOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"edgeseg-subscriber: {ex.Message}");
    return 2;
}

if (options.Help)
{
    Console.WriteLine(SubscriberOptions.Usage);
    return 0;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop through the token, so the client disconnects cleanly
    stopping.Cancel();
};
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
{
    c.Cancel = true;
    stopping.Cancel();
});

var printer = new MessagePrinter(Console.Out, options.Prefix, options.Json);
Console.Error.WriteLine($"following {(options.Device is null ? "every device" : $"device {options.Device}")} under {options.Prefix}/ on {options.Host}:{options.Port}");
await new Subscriber(options, printer, Console.Error).RunAsync(stopping.Token);
return 0;
