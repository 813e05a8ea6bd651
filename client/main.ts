import 'prosemirror-view/style/prosemirror.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/login.css';
import './styles/group.css';
import './styles/document.css';
import './styles/itu-text.css';
import './styles/cursors.css';
import './styles/room.css';
import './styles/editor-tools.css';
import { createShell } from './app/shell.ts';
import { compilationPage } from './pages/compilation.ts';
import { startRouter } from './app/router.ts';
import { loginPage } from './pages/login.ts';
import { homePage } from './pages/home.ts';
import { groupPage } from './pages/group.ts';
import { documentPage } from './pages/document.ts';
import { problemPage } from './pages/problem.ts';

/** Boots the app: the shell (header + main), then the page for the address (app/router.ts). */
const shell = createShell();
document.getElementById('app')!.replaceWith(shell.root);

startRouter({
  outlet: shell.main,
  routes: [
    { path: '/login', public: true, render: loginPage },
    { path: '/', render: homePage },
    { path: '/groups/:slug', render: (context) => groupPage(context, shell.showGroup) },
    { path: '/documents/:id/compilation', render: (context) => compilationPage(context, shell.showGroup) },
    { path: '/documents/:id', render: (context) => documentPage(context, shell.showGroup) },
  ],
  problem: problemPage,
  onNavigate(me, path) {
    shell.showUser(path === '/login' ? null : me);
    shell.showGroup(null);
  },
});
