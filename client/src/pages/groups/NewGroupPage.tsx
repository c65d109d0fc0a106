import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/http";
import { me } from "../../api/session";
import { Loading } from "../../components/ErrorNotice";
import { Form } from "../../components/Form";
import { useTitle, useIntentKey } from "../../hooks";
import { GroupFieldset } from "./GroupFieldset";
import type { Group, GroupFields } from "./types";
import "./groups.css";

/** Creating a group; its creator becomes its owner. */
export default function NewGroupPage() {
	const { route } = useLocation();
	const [fields, setFields] = useState<GroupFields>({ name: "", description: "", visibility: "public", joinPolicy: "open" });
	const intent = useIntentKey();
	useTitle("Create a group");
	useEffect(() => {
		if (me.value === null) route(`/login?next=${encodeURIComponent(location.pathname)}`, true);
	}, [me.value]);
	if (!me.value) return <Loading />;

	const create = async () => {
		const group = await api<Group>("POST", "/groups", { body: fields, idempotencyKey: intent.keyFor(fields) });
		route(`/groups/${group.id}`);
	};
	return (
		<section class="narrow-form">
			<h1>Create a group</h1>
			<Form label="Create a group" submit="Create the group" onSubmit={create}>
				<GroupFieldset value={fields} onChange={setFields} />
			</Form>
		</section>
	);
}
