namespace Autoencoders.Tests.Reliability;

/// <summary>
/// The fault-injection children loop until they are killed; when the test host itself is killed, they must
/// not loop on as orphans. They watch their standard input, a pipe whose writing end only the host holds.
/// </summary>
public sealed class ParentWatchdogTests
{
    [Fact]
    public void A_looping_child_exits_when_its_parents_end_of_the_pipe_closes()
    {
        using var child = new ChildProcess("spin");
        child.WaitForLine(line => line == "spinning", TimeSpan.FromSeconds(60)).Should().BeTrue("the child starts its endless loop");

        child.CloseInput();

        child.HasExited(TimeSpan.FromSeconds(30)).Should().BeTrue("the child notices that its parent is gone");
    }
}
