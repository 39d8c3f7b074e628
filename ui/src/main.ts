import { mount } from 'svelte';
import './lib/design/tokens.css';
import App from './App.svelte';
import { tauriApi } from './lib/api';

const app = mount(App, { target: document.getElementById('app')!, props: { api: tauriApi } });

export default app;
