using Stateless.Reflection;

namespace OrderKit.Internal;

/// <summary>Turns a Stateless machine's description into a table of the actions (flag triggers) each status permits.</summary>
internal static class LifecycleTable
{
    /// <summary>The permitted triggers of each state, as the bits of their flag values, indexed by the state's value.</summary>
    /// <param name="info">The machine's description.</param>
    /// <param name="stateCount">One more than the highest state value.</param>
    public static int[] Compile(StateMachineInfo info, int stateCount)
    {
        int[] allowed = new int[stateCount];
        foreach (StateInfo state in info.States)
        {
            int index = (int)state.UnderlyingState;
            foreach (TriggerInfo trigger in state.Transitions.Select(static t => t.Trigger).Concat(state.IgnoredTriggers.Select(static t => t.Trigger)))
            {
                allowed[index] |= (int)trigger.UnderlyingTrigger;
            }
        }

        return allowed;
    }
}
