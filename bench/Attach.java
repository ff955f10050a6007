import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM: bench/profile.sh starts and stops async-profiler in a server
 * that is already warm with it. (jcmd's JVMTI.agent_load would do, but it splits the agent's options at
 * their '=' signs.) Usage: java bench/Attach.java PID AGENT.so OPTIONS
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java bench/Attach.java PID AGENT.so OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
