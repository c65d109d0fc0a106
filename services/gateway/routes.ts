/**
 * Every HTTP route of the API and the action behind it. Only these actions are reachable over
 * HTTP (the gateway's whitelist is built from this table); nothing else, `$node.*` included.
 * More specific paths come first: `/users/me` must win over `/users/:username`.
 */
export const API_ALIASES: Record<string, string> = {
	"POST /auth/register": "users.register",
	"POST /auth/login": "users.login",
	"POST /auth/refresh": "users.refresh",
	"POST /auth/logout": "users.logout",

	"GET /users/me": "users.me",
	"PATCH /users/me": "users.updateMe",
	"DELETE /users/me": "users.deleteMe",
	"PUT /users/me/password": "users.changePassword",
	"GET /users/me/preferences": "users.getPreferences",
	"PUT /users/me/preferences": "users.updatePreferences",
	"GET /users": "users.list",
	"GET /users/:username": "users.profile",
	"PATCH /users/:id/role": "users.setRole",

	"POST /posts": "posts.create",
	"GET /posts": "posts.list",
	"GET /posts/:idOrSlug": "posts.get",
	"PATCH /posts/:id": "posts.update",
	"DELETE /posts/:id": "posts.remove",
	"PUT /posts/:id/reactions/:kind": "posts.react",
	"DELETE /posts/:id/reactions/:kind": "posts.unreact",
	"GET /posts/:id/comments": "posts.comments",
	"POST /posts/:id/comments": "posts.comment",
	"PATCH /posts/:id/comments/:commentId": "posts.updateComment",
	"DELETE /posts/:id/comments/:commentId": "posts.removeComment",
	"GET /categories": "posts.categories",
	"GET /tags": "posts.tags",

	"POST /groups": "groups.create",
	"GET /groups": "groups.list",
	"GET /groups/invitations": "groups.myInvitations",
	"GET /groups/:id": "groups.get",
	"PATCH /groups/:id": "groups.update",
	"DELETE /groups/:id": "groups.remove",
	"POST /groups/:id/join": "groups.join",
	"POST /groups/:id/leave": "groups.leave",
	"GET /groups/:id/members": "groups.members",
	"PATCH /groups/:id/members/:userId": "groups.changeRole",
	"DELETE /groups/:id/members/:userId": "groups.removeMember",
	"GET /groups/:id/invitations": "groups.invitations",
	"POST /groups/:id/invitations": "groups.invite",
	"DELETE /groups/:id/invitations/:userId": "groups.revokeInvitation",
	"GET /groups/:id/requests": "groups.requests",
	"POST /groups/:id/requests/:userId/approve": "groups.approveRequest",
	"POST /groups/:id/requests/:userId/reject": "groups.rejectRequest",
	"GET /groups/:id/posts": "groups.posts",

	"POST /contests": "contests.create",
	"GET /contests": "contests.list",
	"GET /contests/:id": "contests.get",
	"PATCH /contests/:id": "contests.update",
	"DELETE /contests/:id": "contests.remove",
	"POST /contests/:id/problems": "contests.addProblem",
	"GET /contests/:id/problems": "contests.problems",
	"POST /contests/:id/register": "contests.register",
	"POST /contests/:id/problems/:problemId/submissions": "contests.submit",
	"GET /contests/:id/submissions/me": "contests.mySubmissions",
	"GET /contests/:id/leaderboard": "contests.leaderboard",

	"GET /notifications": "notifications.list",
	"GET /notifications/unread-count": "notifications.unreadCount",
	"POST /notifications/read-all": "notifications.markAllRead",
	"GET /notifications/preferences": "notifications.getPreferences",
	"PUT /notifications/preferences": "notifications.updatePreferences",
	"GET /notifications/mutes": "notifications.mutedGroups",
	"PUT /notifications/mutes/groups/:groupId": "notifications.muteGroup",
	"DELETE /notifications/mutes/groups/:groupId": "notifications.unmuteGroup",
	"POST /notifications/stream-ticket": "gateway.streamTicket",
	"POST /notifications/:id/read": "notifications.markRead",

	"GET /admin/audit": "audit.list"
};

export const API_WHITELIST = [...new Set(Object.values(API_ALIASES))];
