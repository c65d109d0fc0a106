/**
 * Why this host would refuse the sandbox its user namespace, read from the sysctls that switch it off, so the probe
 * can name the cause instead of only relaying bwrap's failure. bwrap runs unprivileged (as nobody when the judge
 * is root), so unprivileged user namespaces must be allowed.
 */
import { readFile } from "node:fs/promises";

async function sysctl(path: string): Promise<string | null> {
	try {
		return (await readFile(path, "utf8")).trim();
	} catch {
		return null;
	}
}

export async function userNamespaceProblem(procSys = "/proc/sys"): Promise<string | null> {
	if ((await sysctl(`${procSys}/user/max_user_namespaces`)) === "0") return "user namespaces are disabled (user.max_user_namespaces = 0)";
	if ((await sysctl(`${procSys}/kernel/unprivileged_userns_clone`)) === "0") {
		return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0)";
	}
	if ((await sysctl(`${procSys}/kernel/apparmor_restrict_unprivileged_userns`)) === "1") {
		return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1); give bwrap a profile that allows userns";
	}
	return null;
}
