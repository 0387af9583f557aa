/**
 * The Import an inventory dialog (issue 18), a page of its own (dist/Import.html): the
 * security team opens it now and then, so the sidebar everyone opens does not carry it.
 */
import './styles.css';
import { importPanel } from './import';

const app = document.getElementById('app')!;

void importPanel((...nodes: Node[]) => app.replaceChildren(...nodes));
